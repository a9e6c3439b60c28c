#!/usr/bin/env python3
"""Extra CLASS-PT reference cases in the oracle format (oracle-data/extra/), at high redshift and
over the whole output k range.

How they are made. Cosmologies, settings and nuisance parameters are drawn at random (numpy's
default_rng with a fixed seed; nothing is chosen by hand or tuned): the six parameters uniformly in
the emulator's training box (omega_b 0.019-0.026, omega_cdm 0.08-0.17, h 0.55-0.85, ln10^{10}A_s
2.4-3.6, n_s 0.86-1.06, m_ncdm 0.01-0.5 eV, one massive species); z uniform in [2, 3] for the
`hz*` family and in [0, 3] for the `hk*` family; Omfid uniform in [0.28, 0.34]; N one of
128/256/512; cb Yes/No; AP on in 5 of 6 draws, IR resummation on in 7 of 8; nuisance parameters
uniform in the ranges of the oracle cases. CLASS-PT (commit e02293a2, classy, OpenBLAS) runs with
the oracle's settings (P_k_max_1/Mpc = 100, RSD, bias tracers; PNG off: the N = 256/512 M12
bundles are absent from the snapshot this was built from).

The input spectrum stored is CLASS-PT's own P_L(k, z) after its time interpolation (what
nonlinear_pt_loop receives; see README on pk_cb_lin), with f, hratio and Dratio as CLASS-PT used
them: they come from a local instrumentation of the build (dump-plin-patch.py, env NLPT_DUMP_PLIN).
Output k are the nodes of CLASS's own k grid (as in the oracle: no read-out interpolation) from
0.001 h/Mpc up to the FFTLog kmax = 100 h (`hk*`) or 1 h/Mpc (`hz*`). Rows 0-47 of get_pk_mult
and the twelve spectra are stored with 12 significant digits.

usage: PYTHONPATH=<patched CLASS-PT>/python python3 make-cases.py OUT_DIR [--seed 17] [--hz 12] [--hk 10]
"""
import argparse, gzip, json, os, sys, tempfile, time
import numpy as np
from classy import Class
from scipy.integrate import simpson  # what classy's initialize_output uses

ROWS = ("loop Id2d2 Id2 IG2 Id2G2 IG2G2 IFG2 IFG2_0b1 IFG2_0 IFG2_2 ctr ctr_0 ctr_2 ctr_4 tree tree_0_vv tree_0_vd "
        "tree_0_dd tree_2_vv tree_2_vd tree_4_vv loop_0_vv loop_0_vd loop_0_dd loop_2_vv loop_2_vd loop_2_dd loop_4_vv "
        "loop_4_vd loop_4_dd 0_b1b2 0_b2 0_b1bG2 0_bG2 2_b1b2 2_b2 2_b1bG2 2_bG2 4_b2 4_bG2 4_b1b2 4_b1bG2 Id2d2_2 "
        "Id2G2_2 IG2G2_2 Id2d2_4 Id2G2_4 IG2G2_4").split()
assert len(ROWS) == 48
BOX = {"omega_b": (0.019, 0.026), "omega_cdm": (0.08, 0.17), "h": (0.55, 0.85),
       "ln10^{10}A_s": (2.4, 3.6), "n_s": (0.86, 1.06), "m_ncdm": (0.01, 0.5)}
BIAS = {"b1": (1, 3.2), "b2": (-2.5, 2.5), "bG2": (-1, 1), "bGamma3": (-1.5, 1.5), "cs": (-5, 5),
        "cs0": (-40, 40), "cs2": (-40, 40), "cs4": (-40, 40), "Pshot": (100, 8000), "a0": (-2000, 2000),
        "a2": (-2000, 2000), "b4": (-600, 600)}
g12 = lambda a: [float("%.12g" % v) for v in a]


def draw(rng, family):
    cosmo = {k: float("%.6g" % rng.uniform(*r)) for k, r in BOX.items()}
    z = rng.uniform(2, 3) if family == "hz" else rng.uniform(0, 3)
    n_mode = rng.choice(["Fast", "", "Precise"])
    settings = {"output": "mPk", "non linear": "PT", "IR resummation": "Yes" if rng.uniform() < 7 / 8 else "No",
                "Bias tracers": "Yes", "RSD": "Yes", "PNG": "No", "P_k_max_1/Mpc": 100.0,
                "cb": "Yes" if rng.uniform() < 0.5 else "No", "AP": "Yes" if rng.uniform() < 5 / 6 else "No",
                "Omfid": "%.4f" % rng.uniform(0.28, 0.34)}
    if n_mode:
        settings["FFTLog mode"] = str(n_mode)
    bias = {k: float("%.6g" % rng.uniform(*r)) for k, r in BIAS.items()}
    return cosmo, float("%.5g" % z), settings, bias


def run(case_id, cosmo, z, settings, bias, kmax_h):
    dump = tempfile.NamedTemporaryFile(suffix=".jsonl", delete=False).name
    os.environ["NLPT_DUMP_PLIN"] = dump
    M = Class()
    params = {"omega_b": cosmo["omega_b"], "omega_cdm": cosmo["omega_cdm"], "h": cosmo["h"],
              "ln10^{10}A_s": cosmo["ln10^{10}A_s"], "n_s": cosmo["n_s"], "z_pk": z, "tau_reio": 0.0544,
              "N_ur": 2.0328, "N_ncdm": 1, "m_ncdm": cosmo["m_ncdm"], "T_ncdm": 0.71611}
    M.set(params)
    M.set(settings)
    t0 = time.time()
    M.compute()
    elapsed = time.time() - t0
    with open(dump) as fh:
        lines = [json.loads(l) for l in fh if l.strip()]
    os.unlink(dump)
    assert len(lines) == 1, "expected one z"
    d = lines[0]
    h = M.h()
    grid = np.array(d["k_Mpc"])
    kout = grid[(grid >= 1e-3 * h) & (grid <= kmax_h * h * (1 - 1e-12)) & (grid <= 100 * h * (1 - 1e-12))]
    M.initialize_output(kout, z, len(kout))
    pm = M.get_pk_mult(kout, z, len(kout))
    b = bias
    spectra = {
        "mm_real": M.pk_mm_real(b["cs"]), "gg_real": M.pk_gg_real(b["b1"], b["b2"], b["bG2"], b["bGamma3"], b["cs"], b["cs0"], b["Pshot"]),
        "gm_real": M.pk_gm_real(b["b1"], b["b2"], b["bG2"], b["bGamma3"], b["cs"], b["cs0"]),
        "mm_l0": M.pk_mm_l0(b["cs0"]), "mm_l2": M.pk_mm_l2(b["cs2"]), "mm_l4": M.pk_mm_l4(b["cs4"]),
        "gg_l0": M.pk_gg_l0(b["b1"], b["b2"], b["bG2"], b["bGamma3"], b["cs0"], b["Pshot"], b["a0"], b["a2"], b["b4"]),
        "gg_l2": M.pk_gg_l2(b["b1"], b["b2"], b["bG2"], b["bGamma3"], b["cs2"], b["a2"], b["b4"]),
        "gg_l4": M.pk_gg_l4(b["b1"], b["b2"], b["bG2"], b["bGamma3"], b["cs4"], b["b4"]),
        "gm_l0": M.pk_gm_l0(b["b1"], b["b2"], b["bG2"], b["bGamma3"], b["cs0"]),
        "gm_l2": M.pk_gm_l2(b["b1"], b["b2"], b["bG2"], b["bGamma3"], b["cs2"]),
        "gm_l4": M.pk_gm_l4(b["b1"], b["b2"], b["bG2"], b["bGamma3"], b["cs4"]),
    }
    case = {
        "id": case_id,
        "settings": settings,
        "cosmology": {**params},
        "derived": {"h": h, "z": z, "f": d["f"], "hratio": d["hratio"], "Dratio": d["Dratio"], "n_s": cosmo["n_s"],
                    "rs_drag_Mpc": float("%.12g" % M.rs_drag()), "A_s": float("%.12g" % M.get_current_derived_parameters(["A_s"])["A_s"]),
                    "Pd2d2_0": float("%.12g" % (simpson((pm[14] * h**3) ** 2 * kout**3, x=np.log(kout)) / np.pi**2))},
        "input": {"k_Mpc": d["k_Mpc"], "pk_lin_Mpc3": d["pk_Mpc3"]},
        "output": {"k_Mpc": g12(kout), "k_hMpc": g12(kout / h),
                   "components_Mpc3": {name: g12(pm[i]) for i, name in enumerate(ROWS)},
                   "bias": bias, "spectra_hMpc3": {k: g12(v) for k, v in spectra.items()}},
        "timing_s": {"class_compute": round(elapsed, 3)},
    }
    M.struct_cleanup()
    M.empty()
    return case


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--seed", type=int, default=17)
    ap.add_argument("--hz", type=int, default=12)
    ap.add_argument("--hk", type=int, default=10)
    a = ap.parse_args()
    rng = np.random.default_rng(a.seed)
    os.makedirs(a.out, exist_ok=True)
    jobs = [("hz%03d" % i, "hz") for i in range(a.hz)] + [("hk%03d" % i, "hk") for i in range(a.hk)]
    for case_id, family in jobs:
        cosmo, z, settings, bias = draw(rng, family)
        case = run(case_id, cosmo, z, settings, bias, 1.0 if family == "hz" else 100.0)
        path = os.path.join(a.out, case_id + ".json.gz")
        with gzip.open(path + ".tmp", "wt") as fh:
            json.dump(case, fh, separators=(",", ":"))
        os.replace(path + ".tmp", path)
        print(case_id, "z=%.3f" % z, settings.get("FFTLog mode", "256"), "IR", settings["IR resummation"], "AP", settings["AP"],
              "nout", len(case["output"]["k_Mpc"]), file=sys.stderr)


if __name__ == "__main__":
    main()
