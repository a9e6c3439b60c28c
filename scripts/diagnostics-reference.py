"""Reference values for tests/inference/diagnostics.test.ts, computed by ArviZ (0.23.4), an
implementation of Vehtari et al. 2021 independent of ours, on fixed arrays made here and stored
with the values:

    python3 -m venv /tmp/az && /tmp/az/bin/pip install arviz   # (offline: --no-index --find-links DIR)
    /tmp/az/bin/python scripts/diagnostics-reference.py > tests/inference/data/diagnostics-reference.json

ArviZ's rhat needs 2 chains; for one chain the bulk/tail split R-hat is computed with its
internal _rhat/_z_scale/_split_chains, as the paper (and R's `posterior`) define it.
"""
import json
import warnings

import numpy as np

warnings.simplefilter("ignore")
import arviz as az  # noqa: E402
from arviz.stats.diagnostics import _rhat, _split_chains, _z_scale  # noqa: E402


def ar1(rng, chains, draws, phi, means=None, scale=1.0):
    x = np.zeros((chains, draws))
    for c in range(chains):
        v = rng.standard_normal() * scale / np.sqrt(1 - phi * phi)
        for t in range(draws):
            v = phi * v + scale * rng.standard_normal()
            x[c, t] = v + (0.0 if means is None else means[c])
    return x


rng = np.random.default_rng(20240515)
cases = {
    "ar1_4x200": ar1(rng, 4, 200, 0.7),
    "shifted_3x101": ar1(rng, 3, 101, 0.5, means=[0.0, 0.4, -0.3]),
    "antithetic_2x150": ar1(rng, 2, 150, -0.5),
    "heavy_4x100": rng.standard_t(1.5, size=(4, 100)),
    "single_1x200": ar1(rng, 1, 200, 0.9),
    "slow_4x64": ar1(rng, 4, 64, 0.97, scale=0.3),
}

out = {"source": "ArviZ 0.23.4 (scripts/diagnostics-reference.py)", "cases": {}}
for name, x in cases.items():
    x = np.round(x, 12)  # stored with 12 decimals; the values below are for the stored numbers
    split = _split_chains(x)
    bulk = float(_rhat(_z_scale(split)))
    tail = float(_rhat(_z_scale(np.abs(split - np.median(split)))))
    out["cases"][name] = {
        "draws": x.tolist(),
        "rhat_bulk": bulk,
        "rhat_tail": tail,
        "rhat": max(bulk, tail),
        "rhat_arviz": float(az.rhat(x, method="rank")) if x.shape[0] > 1 else None,
        "ess_bulk": float(az.ess(x, method="bulk")),
        "ess_tail": float(az.ess(x, method="tail")),
        "ess_mean": float(az.ess(x, method="mean")),
        "ess_q05": float(az.ess(x, method="quantile", prob=0.05)),
        "mcse_mean": float(az.mcse(x, method="mean")),
        "quantiles": [float(np.quantile(x, p)) for p in (0.05, 0.5, 0.95)],
    }
print(json.dumps(out))
