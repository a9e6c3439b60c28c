#!/usr/bin/env python3
"""Linear spectra for the emulator on a BAO-dense k grid, from CLASS (the classy of a local
CLASS-PT build, ../../../shared/tools/build-classpt.sh), for the cosmologies of an existing
training or test set (../shared/linear/NAME.json: same parameters, same settings, same z), in the
same layout: NAME.json (k_Mpc replaced, records copied) and NAME.pk_cb.f32 / NAME.pk_m.f32.

Why: the 160 log-spaced k of the shared set sample the baryon wiggles at 3-4 points per period
near k = 0.2 1/Mpc; between them the emulator's residual spline is off by up to 2.5e-3, which
the loops and the IR split carry into the multipoles. This grid is 100 points per decade over
0.01-0.5 1/Mpc (18 points per BAO period at 0.2 1/Mpc).

usage: CLASSPT_PY=.../python generate.py SRC_DIR NAME OUT_DIR [--start I --stop J] [--check]
  --check: also evaluate at the source set's own k and report the largest relative difference
           from its stored spectra (the settings must reproduce them)
Writes OUT_DIR/NAME.part-<start>-<stop>.npz; merge.py assembles the parts.
"""
import argparse, json, os, sys, time
import numpy as np
sys.path.insert(0, os.environ["CLASSPT_PY"])
from classy import Class  # noqa: E402


def k_grid():
    """20 points per decade on [1e-4, 0.01] and [0.5, 20], 100 per decade on [0.01, 0.5] (1/Mpc)."""
    lo = np.logspace(-4, -2, 41)[:-1]
    mid = np.logspace(-2, np.log10(0.5), int(round(100 * np.log10(50))) + 1)[:-1]
    hi = np.logspace(np.log10(0.5), np.log10(20), int(round(20 * np.log10(40))) + 1)
    return np.concatenate([lo, mid, hi])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("src"); ap.add_argument("name"); ap.add_argument("out")
    ap.add_argument("--start", type=int, default=0); ap.add_argument("--stop", type=int, default=None)
    ap.add_argument("--check", action="store_true")
    a = ap.parse_args()
    meta = json.load(open(os.path.join(a.src, a.name + ".json")))
    recs = meta["records"]
    stop = len(recs) if a.stop is None else min(a.stop, len(recs))
    zs = meta["z"]
    k = k_grid()
    fixed = meta["fixed"]
    if a.check:
        n0, nz, nk0 = meta["arrays"]["shape"]
        ref_cb = np.fromfile(os.path.join(a.src, meta["arrays"]["pk_cb"]), dtype="<f4").reshape(n0, nz, nk0)
        ref_m = np.fromfile(os.path.join(a.src, meta["arrays"]["pk_m"]), dtype="<f4").reshape(n0, nz, nk0)
        k0 = np.array(meta["k_Mpc"])
    cb = np.zeros((stop - a.start, len(zs), len(k)), dtype="<f4")
    m = np.zeros_like(cb)
    worst = 0.0
    t0 = time.time()
    for j, i in enumerate(range(a.start, stop)):
        r = recs[i]
        c = Class()
        args = {"output": "mPk", "P_k_max_1/Mpc": 20.5, "z_pk": ", ".join(str(z) for z in zs), **fixed, **r["params"]}
        c.set(args)
        c.compute()
        for iz, z in enumerate(zs):
            cb[j, iz] = [c.pk_cb_lin(x, z) for x in k]
            m[j, iz] = [c.pk_lin(x, z) for x in k]
            if a.check:
                got = np.array([c.pk_cb_lin(x, z) for x in k0])
                worst = max(worst, float(np.max(np.abs(got / ref_cb[i, iz] - 1))))
                got = np.array([c.pk_lin(x, z) for x in k0])
                worst = max(worst, float(np.max(np.abs(got / ref_m[i, iz] - 1))))
        c.struct_cleanup()
        if j % 20 == 0:
            print("%s %d/%d (%.0f s)%s" % (a.name, i, stop, time.time() - t0, " worst vs source %.2e" % worst if a.check else ""), flush=True)
    out = os.path.join(a.out, "%s.part-%05d-%05d.npz" % (a.name, a.start, stop))
    np.savez(out + ".tmp.npz", k=k, cb=cb, m=m, start=a.start, stop=stop)
    os.replace(out + ".tmp.npz", out)
    if a.check:
        print("worst relative difference from the source set's spectra: %.3e" % worst)


if __name__ == "__main__":
    main()
