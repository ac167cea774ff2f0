"""Fit the geoparser's resolution weights (data/models/resolver.json) on the training part of LGL.

    pip install scikit-learn   # training only; the geoparser itself just takes a dot product
    python tools/train_resolver.py [--lgl ../shared/eval/lgl] [--rounds 2]

Data: LGL (Lieberman et al. 2010, US local news) as shipped in ../shared/eval/lgl. It is third-party
text, used here for fitting and evaluation only; nothing of it is copied into the repository.

Split: articles whose number is divisible by 5 (lgl-000, lgl-005, ...) are HELD OUT: they are never
seen by the fit and the figures reported for them are out of sample. The other 80 % train.

Labels: for each recognised mention that overlaps a gold toponym with coordinates, the candidate with
the gold GeoNames id is positive and the others negative; where no candidate has that id, candidates
within 161 km of the gold point are positive (the benchmark's Accuracy@161km). Exact ids matter: a city
and the province named after it lie within 161 km of each other, and only the id tells them apart.
Model: logistic regression over `geo.geoparser.FEATURES`, no separate intercept (the `bias` feature),
each mention weighing 1 in total so that names with hundreds of candidates do not dominate. Context
features depend on the anchors the previous weights chose, so the fit runs in rounds, each round
re-resolving with the weights of the one before (starting from the hand-set weights `HAND`).
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from gazetteer import Gazetteer  # noqa: E402
from gazetteer.core import km  # noqa: E402
from geo.geoparser import FEATURES, _resolve, geoparse, recognise, resolver_model  # noqa: E402

MODEL = ROOT / "data" / "models" / "resolver.json"
# The hand-set weights the geoparser used before it was fitted: the first round's anchors come from
# them, so a refit is reproducible whatever resolver.json holds.
HAND = {"log_pop": 1.0, "is_country": 4.0, "is_admin1": 1.0, "is_admin2": -3.0, "is_water": 2.5,
        "is_region": 2.5, "is_landmark": 1.5, "is_continent": 3.0, "capital": 3.0, "name_alias": -0.3,
        "name_alternate": -1.2, "name_generated": -2.5, "doc_country": 3.0, "doc_admin1": 2.5,
        "container": 7.0, "container_miss": -3.0, "contains_child": 3.0, "proximity": 2.5,
        "shared_alias": 4.0, "namesake_area": -3.0}


def held_out(article_id: str) -> bool:
    return int(article_id.rsplit("-", 1)[1]) % 5 == 0


def load(lgl: Path) -> tuple[list[dict], dict[str, list[dict]]]:
    corpus = [json.loads(line) for line in (lgl / "corpus.jsonl").open(encoding="utf-8")]
    gold: dict[str, list[dict]] = {}
    for line in (lgl / "gold.jsonl").open(encoding="utf-8"):
        g = json.loads(line)
        if g.get("lat") is not None:
            gold.setdefault(g["article"], []).append(g)
    return corpus, gold


def examples(corpus, gold, gaz, model) -> tuple[list, list, list]:
    """Feature rows, labels and mention-group ids of every candidate of every gold-matched mention."""
    X, y, groups = [], [], []
    gid = 0
    for art in corpus:
        cands = recognise(art["text"], gaz)
        trace: list = []
        _resolve(cands, gaz, model, trace)
        by_idx: dict[int, list] = {}
        for idx, row, x in trace:
            by_idx.setdefault(idx, []).append((row, x))
        for idx, rows in by_idx.items():
            c = cands[idx]
            g = next((g for g in gold.get(art["id"], ()) if g["start"] < c.end and c.start < g["end"]), None)
            if g is None:
                continue
            exact = [gaz.gid[row] == g.get("geonameid") for row, _ in rows]
            for (row, x), same_id in zip(rows, exact):
                X.append(x)
                y.append(same_id if any(exact) else km(gaz.lat[row], gaz.lon[row], g["lat"], g["lon"]) <= 161.0)
                groups.append(gid)
            gid += 1
    return X, y, groups


def fit(X, y, groups, C: float) -> list[float]:
    X, y, groups = np.array(X), np.array(y), np.array(groups)
    sizes = np.bincount(groups)
    pos = np.bincount(groups, weights=y.astype(float))
    useful = (sizes[groups] > 1) & (pos[groups] > 0) & (pos[groups] < sizes[groups])
    weight = 1.0 / sizes[groups]
    lr = LogisticRegression(C=C, fit_intercept=False, max_iter=5000)
    lr.fit(X[useful], y[useful], sample_weight=weight[useful])
    return [round(float(w), 4) for w in lr.coef_[0]]


def acc161(corpus, gold, gaz) -> tuple[float, int]:
    """Accuracy@161km of the full geoparser over gold toponyms it found (one-to-one overlap)."""
    hit = n = 0
    for art in corpus:
        golds = list(gold.get(art["id"], ()))
        for m in geoparse(art["text"], art["id"], gaz):
            g = next((g for g in golds if g["start"] < m.end and m.start < g["end"]), None)
            if g is None:
                continue
            golds.remove(g)
            n += 1
            hit += km(m.place.lat, m.place.lon, g["lat"], g["lon"]) <= 161.0
    return hit / max(n, 1), n


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--lgl", type=Path, default=ROOT.parent / "shared" / "eval" / "lgl")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--C", type=float, default=1.0)
    ap.add_argument("--margin", type=float, default=2.0, help="score margin that makes a mention an anchor")
    args = ap.parse_args()
    corpus, gold = load(args.lgl)
    train = [a for a in corpus if not held_out(a["id"])]
    test = [a for a in corpus if held_out(a["id"])]
    gaz = Gazetteer.default()
    model = {"features": list(FEATURES), "weights": [HAND.get(f, 0.0) for f in FEATURES], "anchor_margin": 2.0}
    for r in range(args.rounds):
        X, y, groups = examples(train, gold, gaz, model)
        model = {"features": list(FEATURES), "weights": fit(X, y, groups, args.C), "anchor_margin": args.margin}
        print(f"round {r + 1}: {len(set(groups))} mentions, {len(X)} candidates", file=sys.stderr)
    MODEL.write_text(json.dumps(_with_notes(model, args), indent=1) + "\n", encoding="utf-8")
    resolver_model.cache_clear()  # geoparse() below uses the weights just written
    for name, part in (("train", train), ("held-out", test)):
        a, n = acc161(part, gold, gaz)
        print(f"{name}: {len(part)} articles, {n} matched toponyms, Acc@161km {a:.3f}")


def _with_notes(model: dict, args) -> dict:
    return {"_about": "Resolution weights fitted by tools/train_resolver.py: logistic regression on LGL "
                      "articles whose number is not divisible by 5 (those are held out), "
                      f"{args.rounds} rounds, C={args.C}.",
            **model, "weights_by_feature": dict(zip(model["features"], model["weights"]))}


if __name__ == "__main__":
    main()
