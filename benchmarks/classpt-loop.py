#!/usr/bin/env python3
"""CLASS-PT's one-loop module timed on the fiducial case, for CLASSPT_BENCH_CMD (benchmarks/run.ts).

Runs classy (a CLASS-PT build made with ../shared/tools/build-classpt.sh, which adds the NLPT_TIMING
instrumentation) on oracle-data/fiducial.json.gz's cosmology and settings, PNG off (the Gaussian
rows, what the benchmark's forward computes), `--reps` times in one process, and prints the median
wall time of `nonlinear_pt_loop` in ms as the last line (one cosmology, one z, N = 256).
Single-threaded by default (OMP_NUM_THREADS and OPENBLAS_NUM_THREADS = 1, set before classy loads);
`--threads N` to change it.

usage: CLASSPT_BENCH_CMD='PYTHONPATH=<CLASS-PT>/python python3 benchmarks/classpt-loop.py' npm run bench
"""
import argparse, gzip, json, os, statistics, sys, tempfile

ap = argparse.ArgumentParser()
ap.add_argument("--reps", type=int, default=3)
ap.add_argument("--threads", type=int, default=1)
a = ap.parse_args()
for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
    os.environ[var] = str(a.threads)
from classy import Class  # noqa: E402  (after the thread settings)

here = os.path.dirname(os.path.abspath(__file__))
case = json.load(gzip.open(os.path.join(here, "..", "oracle-data", "fiducial.json.gz"), "rt"))
settings = {**case["settings"], "PNG": "No"}
timing = tempfile.NamedTemporaryFile(suffix=".txt", delete=False).name
os.environ["NLPT_TIMING"] = timing
times = []
for _ in range(a.reps):
    M = Class()
    M.set(case["cosmology"])
    M.set(settings)
    M.compute()
    with open(timing) as fh:
        line = fh.read()
    times.append(1e3 * float(line.split("(")[1].split("s")[0]))
    M.struct_cleanup()
    M.empty()
os.unlink(timing)
print("nonlinear_pt_loop ms:", " ".join("%.1f" % t for t in times), file=sys.stderr)
print("%.3f" % statistics.median(times))
