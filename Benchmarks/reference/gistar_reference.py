#!/usr/bin/env python3
"""Getis-Ord Gi* reference fixture (independent of LandWatch).

Grid of 500 m cells, centres x = 250 + 500*i, y = 250 + 500*j, i in 0..7, j in 0..5,
cells (7,5) and (0,0) left out -> 46 cells. value(i,j) = 20 + 3i + 2j + 80*[hotspot]
+ 0.5*((7i + 3j) % 5), hotspot = {(2,2),(2,3),(3,2),(3,3)}.
Weights: libpysal DistanceBand(threshold=750, binary=True) (8-neighbourhood),
Gi* via esda G_Local(y, w, transform='B', star=True) which sets w_ii = 1.

    python3 gistar_reference.py   # -> gistar_reference.json
"""
import json
import math
import os
import platform

import esda
import libpysal
import numpy as np
import scipy
from esda.getisord import G_Local
from libpysal.weights import DistanceBand
from scipy import stats

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "gistar_reference.json")

CELL = 500.0
NI, NJ = 8, 6
MISSING = {(7, 5), (0, 0)}
HOTSPOT = {(2, 2), (2, 3), (3, 2), (3, 3)}
THRESHOLD = 750.0
ALPHAS = [0.05, 0.01, 0.10]


def value(i, j):
    return (20 + 3 * i + 2 * j + (80 if (i, j) in HOTSPOT else 0)
            + 0.5 * ((i * 7 + j * 3) % 5))


def bh_reject(p, alpha):
    """Benjamini-Hochberg step-up: largest k with p_(k) <= k/m*alpha, reject k smallest."""
    p = np.asarray(p, dtype=float)
    m = len(p)
    order = np.argsort(p, kind="mergesort")
    ps = p[order]
    ks = np.nonzero(ps <= (np.arange(1, m + 1) / m) * alpha)[0]
    reject = np.zeros(m, dtype=bool)
    if len(ks):
        k = ks.max() + 1
        reject[order[:k]] = True
        return reject, int(k), float(k / m * alpha)
    return reject, 0, None


def bh_adjusted(p):
    """BH adjusted p-values (q-values), as statsmodels 'fdr_bh'."""
    p = np.asarray(p, dtype=float)
    m = len(p)
    order = np.argsort(p, kind="mergesort")
    ps = p[order]
    q = ps * m / np.arange(1, m + 1)
    q = np.minimum.accumulate(q[::-1])[::-1]
    q = np.minimum(q, 1.0)
    out = np.empty(m)
    out[order] = q
    return out


def main():
    cells = [(i, j) for j in range(NJ) for i in range(NI) if (i, j) not in MISSING]
    coords = np.array([(250 + CELL * i, 250 + CELL * j) for i, j in cells], dtype=float)
    y = np.array([value(i, j) for i, j in cells], dtype=float)
    n = len(cells)

    w = DistanceBand(coords, threshold=THRESHOLD, binary=True, silence_warnings=True)
    diag_before = w.sparse.diagonal()
    nbrs = np.array([w.cardinalities[k] for k in w.id_order])

    g = G_Local(y, w, transform="B", star=True, permutations=0)
    Wg = g.w.sparse.toarray()
    diag_after = np.diag(Wg)

    Zs = np.asarray(g.Zs, dtype=float)
    p_norm = np.asarray(g.p_norm, dtype=float)
    p_two = 2.0 * (1.0 - stats.norm.cdf(np.abs(Zs)))
    p_two_sf = 2.0 * stats.norm.sf(np.abs(Zs))  # same, more accurate in the tail

    # ---- textbook Gi* (Getis & Ord 1995 / ArcGIS) with own weight matrix ----
    d = np.sqrt(((coords[:, None, :] - coords[None, :, :]) ** 2).sum(-1))
    Wt = (d <= THRESHOLD).astype(float)  # includes the diagonal (d=0) -> w_ii = 1
    xbar = y.mean()
    S = math.sqrt((y ** 2).sum() / n - xbar ** 2)
    sw = Wt.sum(1)
    sw2 = (Wt ** 2).sum(1)
    num = Wt @ y - xbar * sw
    den = S * np.sqrt((n * sw2 - sw ** 2) / (n - 1))
    z_text = num / den
    # variant with the sample (n-1) standard deviation, for comparison only
    S_sample = y.std(ddof=1)
    z_text_sample_sd = num / (S_sample * np.sqrt((n * sw2 - sw ** 2) / (n - 1)))

    maxdiff = float(np.max(np.abs(z_text - Zs)))
    weights_equal = bool(np.array_equal(Wt, Wg))

    bh = {}
    for a in ALPHAS:
        rej, k, thr = bh_reject(p_two, a)
        bh[str(a)] = {
            "n_significant": int(rej.sum()),
            "k": k,
            "p_threshold_k_over_m_alpha": thr,
            "cells": [[cells[t][0], cells[t][1]] for t in np.nonzero(rej)[0]],
            "hot": [[cells[t][0], cells[t][1]] for t in np.nonzero(rej & (Zs > 0))[0]],
            "cold": [[cells[t][0], cells[t][1]] for t in np.nonzero(rej & (Zs < 0))[0]],
        }
    q = bh_adjusted(p_two)
    # unadjusted significance for comparison
    unadj = {str(a): int((p_two <= a).sum()) for a in ALPHAS}

    rows = []
    for t, (i, j) in enumerate(cells):
        rows.append({
            "i": i, "j": j, "x": float(coords[t, 0]), "y": float(coords[t, 1]),
            "value": float(y[t]),
            "neighbours": int(nbrs[t]),
            "weight_sum_with_self": float(sw[t]),
            "z_esda": float(Zs[t]),
            "z_textbook": float(z_text[t]),
            "p_two_sided": float(p_two[t]),
            "p_two_sided_sf": float(p_two_sf[t]),
            "p_norm_esda_one_sided": float(p_norm[t]),
            "q_bh": float(q[t]),
            "bh_sig_0.05": bool(q[t] <= 0.05),
            "bh_sig_0.01": bool(q[t] <= 0.01),
            "bh_sig_0.10": bool(q[t] <= 0.10),
        })

    out = {
        "description": "Getis-Ord Gi* fixture: 500 m grid 8x6 minus (7,5),(0,0); planted hotspot "
                       "{(2,2),(2,3),(3,2),(3,3)} (+80) on gradient 20+3i+2j+0.5*((7i+3j)%5); binary "
                       "DistanceBand threshold 750 m (8-neighbourhood) with w_ii=1.",
        "n": n,
        "cell_size_m": CELL,
        "threshold_m": THRESHOLD,
        "missing_cells": sorted([list(c) for c in MISSING]),
        "hotspot_cells": sorted([list(c) for c in HOTSPOT]),
        "mean": float(xbar),
        "S_population": S,
        "S_sample_ddof1": float(S_sample),
        "esda": {
            "version": esda.__version__,
            "call": "G_Local(y, DistanceBand(coords, threshold=750, binary=True), transform='B', "
                    "star=True, permutations=0)",
            "diagonal_before": f"all zero: {bool((diag_before == 0).all())}",
            "diagonal_after": f"all one: {bool((diag_after == 1).all())}",
            "star_true_self_weight": (
                "esda.getisord._infer_star_and_structure_w: the DistanceBand W has a zero diagonal and "
                "star=True, and transform is 'B', so it calls libpysal.weights.util.fill_diagonal(w, 1) "
                "-> w_ii = 1 for every cell (for transform 'R' on a non-binary W it would instead use "
                "the row maximum and warn; if W already had a nonzero diagonal it is kept as is). "
                "calc() then uses N = n (no self-removal), statistic = (W@y)/sum(y), "
                "E = sum_j w_ij / n, Var = card*(n-card)/(n-1)/n^2 * s^2/xbar^2 with "
                "s^2 = mean(y^2) - xbar^2 (population variance), card = sum_j w_ij incl. self."
            ),
            "p_norm": "one-sided: stats.norm.sf(abs(Zs)) (docstring: 'for two-sided tests, this "
                      "value should be multiplied by 2')",
            "weights_identical_to_own_matrix": weights_equal,
        },
        "textbook": {
            "formula": "Gi* = (sum_j w_ij x_j - xbar sum_j w_ij) / (S sqrt((n sum_j w_ij^2 - "
                       "(sum_j w_ij)^2)/(n-1))), S = sqrt(sum x^2/n - xbar^2), w_ii = 1",
            "max_abs_diff_vs_esda_Zs": maxdiff,
            "note": "Algebraically identical to esda for binary weights and xbar > 0 (esda divides "
                    "by sqrt(s^2/xbar^2) = s/|xbar|, so for a negative mean its sign would flip).",
            "sample_sd_variant_max_abs_diff": float(np.max(np.abs(z_text_sample_sd - Zs))),
            "sample_sd_variant_ratio": float(S / S_sample),
        },
        "p_value": "two-sided normal approximation 2*(1 - Phi(|Zs|))",
        "bh_fdr_two_sided": bh,
        "unadjusted_significant_count": unadj,
        "cells": rows,
        "produced_with": {
            "python": platform.python_version(), "esda": esda.__version__,
            "libpysal": libpysal.__version__, "numpy": np.__version__, "scipy": scipy.__version__,
            "bh": "own implementation (statsmodels not installed)",
        },
    }
    with open(OUT, "w") as f:
        json.dump(out, f, indent=1)

    # ---- compact table ----
    print(f"esda {esda.__version__}, libpysal {libpysal.__version__}, n={n}, mean={xbar:.6f}, "
          f"S={S:.6f}")
    print(f"diag before star: all 0 = {(diag_before == 0).all()}, after: all 1 = "
          f"{(diag_after == 1).all()}, weights equal own matrix: {weights_equal}")
    print(f"max |z_textbook - esda Zs| = {maxdiff:.3e}")
    print(f"{'i':>2} {'j':>2} {'x':>6} {'y':>6} {'value':>6} {'nb':>2} {'Zs':>10} "
          f"{'p2':>10} {'p_norm':>10} {'q_bh':>10} sig05")
    for r in rows:
        print(f"{r['i']:>2} {r['j']:>2} {r['x']:>6.0f} {r['y']:>6.0f} {r['value']:>6.1f} "
              f"{r['neighbours']:>2} {r['z_esda']:>10.6f} {r['p_two_sided']:>10.3e} "
              f"{r['p_norm_esda_one_sided']:>10.3e} {r['q_bh']:>10.3e} "
              f"{'*' if r['bh_sig_0.05'] else ''}")
    for a in ALPHAS:
        b = bh[str(a)]
        print(f"BH alpha={a}: {b['n_significant']} significant; hot={b['hot']} cold={b['cold']}")


if __name__ == "__main__":
    main()
