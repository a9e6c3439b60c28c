#!/usr/bin/env python3
"""CLASS's linear spectra at z = 0 on a dense k band, for the emulator's off-node correction
(scripts/train-emulator.ts --dense DIR), for the cosmologies of a set of ../shared/linear
(same parameters and settings: tau_reio 0.0544, N_ur 2.0328, one massive neutrino, CLASS defaults).

Why: the shared set's 160 log-spaced k sample the baryon wiggles 3-4 times per period near
k = 0.2 1/Mpc, and the emulator's residual spline between them is off by up to 2.5e-3. That
interpolation error is the same at every z to 3e-6 (the wiggles are in the transfer function),
so one z suffices, and k <= 1 1/Mpc needs only P_k_max = 1.5 1/Mpc (2-3x faster runs).

usage: CLASSPT_PY=.../python generate.py SRC_DIR NAME OUT_DIR WORKER NWORKERS
Writes OUT_DIR/NAME.dense-<start>-<stop>.npz per chunk of 50 cosmologies (atomically; existing
chunks are skipped, so an interrupted run resumes): k_Mpc, ln_pk_cb, ln_pk_m [records, k].
"""
import json, os, sys, time
import numpy as np
sys.path.insert(0, os.environ["CLASSPT_PY"])
from classy import Class  # noqa: E402

K_DENSE = np.exp(np.arange(np.log(0.003), np.log(1.0) + 1e-12, 0.02))


def main():
    src, name, out, worker, nworkers = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
    meta = json.load(open(os.path.join(src, name + ".json")))
    recs = meta["records"]
    chunk = 50
    t0 = time.time()
    for start in range(chunk * worker, len(recs), chunk * nworkers):
        stop = min(start + chunk, len(recs))
        path = os.path.join(out, "%s.dense-%05d-%05d.npz" % (name, start, stop))
        if os.path.exists(path):
            continue
        cb = np.zeros((stop - start, len(K_DENSE)))
        m = np.zeros_like(cb)
        for j, i in enumerate(range(start, stop)):
            c = Class()
            c.set({"output": "mPk", "P_k_max_1/Mpc": 1.5, "z_pk": "0", **meta["fixed"], **recs[i]["params"]})
            c.compute()
            cb[j] = np.log([c.pk_cb_lin(x, 0.0) for x in K_DENSE])
            m[j] = np.log([c.pk_lin(x, 0.0) for x in K_DENSE])
            c.struct_cleanup()
        np.savez(path + ".tmp.npz", k_Mpc=K_DENSE, ln_pk_cb=cb, ln_pk_m=m, start=start, stop=stop)
        os.replace(path + ".tmp.npz", path)
        print("%s %d-%d done (%.0f s)" % (name, start, stop, time.time() - t0), flush=True)


if __name__ == "__main__":
    main()
