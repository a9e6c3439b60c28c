#!/usr/bin/env bash
# Reference values of the published BOSS DR12 P_l likelihood at the points of POINTS.json, one
# CLASS-PT run per point, merged into OUT.json.
#
# usage: run.sh POINTS.json OUT.json
# environment: FSL_GIT_DIR (git dir of github:oliverphilcox/full_shape_likelihoods),
#   CLASSPT_PY (python/ folder of a CLASS-PT build from ../shared/tools/build-classpt.sh),
#   optionally CLASSPT_DUMP_PY: a second build whose nonlinear_pt.c writes, when
#   CLASSPT_DUMP_DIR is set, the linear P(k) it interpolated to each z_pk (pk_l_at_z_req, after
#   its ln-tau spline) with f, hratio and Dratio to $CLASSPT_DUMP_DIR/pl_z<z>.txt. That local
#   two-line fprintf is not part of this project; the files it writes are stored in OUT.json as
#   "classpt_input" so that tests can feed the engine exactly what CLASS-PT's loops received.
set -euo pipefail
points=${1:?POINTS.json}; out=${2:?OUT.json}
here=$(cd "$(dirname "$0")" && pwd)
tool=${BOSS_REFERENCE_TOOL:-$here/../../../shared/tools/boss-reference.py}
work=$(mktemp -d)
n=$(python3 -c "import json,sys; print(len(json.load(open('$points'))))")
for ((i = 0; i < n; i++)); do
  python3 -c "import json; p=json.load(open('$points')); json.dump([p[$i]], open('$work/p$i.json','w'))"
  mkdir -p "$work/dump$i"
  py=${CLASSPT_DUMP_PY:-$CLASSPT_PY}
  CLASSPT_PY=$py CLASSPT_DUMP_DIR=$work/dump$i /usr/bin/python3 "$tool" "$work/p$i.json" "$work/out$i.json" --theory --linear
done
/usr/bin/python3 "$here/merge.py" "$work" "$n" "$out"
