#!/usr/bin/env bash
# Generates the dense-k spectra in chunks of 100 cosmologies (each chunk written atomically, so an
# interrupted run resumes where it stopped): WORKER W of NW takes every NW-th chunk.
# usage: run-all.sh SRC_DIR OUT_DIR NAME WORKER NWORKERS    (CLASSPT_PY must be set)
set -euo pipefail
src=$1; out=$2; name=$3; w=$4; nw=$5
here=$(cd "$(dirname "$0")" && pwd)
n=$(python3 -c "import json; print(len(json.load(open('$src/$name.json'))['records']))")
for ((start = 100 * w; start < n; start += 100 * nw)); do
  stop=$((start + 100 < n ? start + 100 : n))
  part=$(printf "%s/%s.part-%05d-%05d.npz" "$out" "$name" "$start" "$stop")
  [ -f "$part" ] && continue
  /usr/bin/python3 "$here/generate.py" "$src" "$name" "$out" --start "$start" --stop "$stop"
done
