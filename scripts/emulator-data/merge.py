#!/usr/bin/env python3
"""Merges generate.py's chunks of one set into OUT_DIR/NAME.dense.json (k_Mpc, records, layout)
and OUT_DIR/NAME.dense_cb.f64 / NAME.dense_m.f64 (ln P at z = 0, float64 little-endian,
[records, k] row-major): what scripts/train-dense-correction.ts reads.
usage: merge.py OUT_DIR NAME NRECORDS"""
import glob, json, os, sys
import numpy as np

out, name, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
parts = sorted(glob.glob(os.path.join(out, "%s.dense-*.npz" % name)))
k = None
cb = np.full((n, 0), np.nan)
have = np.zeros(n, dtype=bool)
for p in parts:
    d = np.load(p)
    if k is None:
        k = d["k_Mpc"]
        cb = np.full((n, len(k)), np.nan)
        m = np.full((n, len(k)), np.nan)
    s, e = int(d["start"]), int(d["stop"])
    cb[s:e] = d["ln_pk_cb"]
    m[s:e] = d["ln_pk_m"]
    have[s:e] = True
idx = np.nonzero(have)[0]
cb[idx].astype("<f8").tofile(os.path.join(out, name + ".dense_cb.f64"))
m[idx].astype("<f8").tofile(os.path.join(out, name + ".dense_m.f64"))
json.dump({"k_Mpc": k.tolist(), "records": idx.tolist(), "z": 0.0,
           "arrays": {"ln_pk_cb": name + ".dense_cb.f64", "ln_pk_m": name + ".dense_m.f64", "shape": [len(idx), len(k)]}},
          open(os.path.join(out, name + ".dense.json"), "w"))
print("%s: %d of %d records, %d k" % (name, len(idx), n, len(k)))
