#!/usr/bin/env python3
"""Parameter points at which the published BOSS DR12 P_l likelihood is evaluated for the tests.

Drawn at random (numpy default_rng(seed)), not tuned: 16 points in a box around the BOSS
posterior and 8 wider ones (m_ncdm free in four of them). Run:

  python3 scripts/boss-reference/make-points.py > /tmp/points.json
  scripts/boss-reference/run.sh /tmp/points.json tests/data/boss-reference.json

(run.sh calls ../shared/tools/boss-reference.py once per point with a CLASS-PT build that also
writes the linear spectrum it used; see its header.)
"""
import json, sys
import numpy as np

rng = np.random.default_rng(20261202)
SAMPLES = ["ngc_z1", "sgc_z1", "ngc_z3", "sgc_z3"]
points = []
for i in range(24):
    wide = i >= 16
    u = lambda lo, hi: float(rng.uniform(lo, hi))
    if not wide:
        p = {"omega_b": u(0.0210, 0.0235), "omega_cdm": u(0.105, 0.135), "h": u(0.64, 0.72),
             "ln10^{10}A_s": u(2.8, 3.2), "n_s": u(0.93, 1.0), "m_ncdm": 0.06}
    else:
        p = {"omega_b": u(0.0195, 0.0255), "omega_cdm": u(0.09, 0.16), "h": u(0.58, 0.80),
             "ln10^{10}A_s": u(2.5, 3.5), "n_s": u(0.88, 1.04),
             "m_ncdm": u(0.02, 0.4) if i >= 20 else 0.06}
    for s in SAMPLES:
        b1 = u(1.4, 3.0) if wide else u(1.7, 2.4)
        b2 = float(rng.normal(0, 2 if wide else 1))
        bG2 = float(rng.normal(0, 1 if wide else 0.7))
        p[s] = {"b1": round(b1, 6), "b2": round(b2, 6), "bG2": round(bG2, 6)}
    for k in ["omega_b", "omega_cdm", "h", "ln10^{10}A_s", "n_s", "m_ncdm"]:
        p[k] = round(p[k], 6)
    p = {"label": "p%02d%s" % (i, "w" if wide else ""), **p}
    points.append(p)
json.dump(points, sys.stdout, indent=1)
