#!/usr/bin/env python3
"""Merges run.sh's per-point outputs (and the CLASS-PT input dumps, when present) into one JSON."""
import glob, json, os, sys

work, n, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
merged = None
for i in range(n):
    d = json.load(open(os.path.join(work, "out%d.json" % i)))
    if merged is None:
        merged = {k: v for k, v in d.items() if k != "points"}
        merged["points"] = []
    pt = d["points"][0]
    dumps = sorted(glob.glob(os.path.join(work, "dump%d" % i, "pl_z*.txt")))
    if dumps:
        pt["classpt_input"] = {}
        for f in dumps:
            head = open(f).readline().split()
            meta = dict(zip(head[1::2], map(float, head[2::2])))
            rows = [list(map(float, l.split())) for l in open(f) if not l.startswith("#")]
            pt["classpt_input"]["z%.2f" % meta["z"]] = {
                "f": meta["f"], "hratio": meta["hratio"], "Dratio": meta["Dratio"],
                "k_Mpc": [r[0] for r in rows], "pk_lin_Mpc3": [r[1] for r in rows]}
    merged["points"].append(pt)
json.dump(merged, open(out, "w"))
print("wrote %s (%d points)" % (out, n))
