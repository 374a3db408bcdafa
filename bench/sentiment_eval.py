"""Accuracy and speed of the default sentiment scorer. Writes bench/results/sentiment_eval.json.

Two kinds of labelled sets, reported separately:

- the team's own (``tests/fixtures/sentiment``): zh-TW and English social comments with a
  neutral class, written by the people who wrote the lexicon, so they measure fit, not
  generalisation;
- two public review sets no one here wrote (``../shared/data/sentiment-dev``, or
  ``$SOCIALKPI_SENTIMENT_DEV``): food-delivery and online-shopping reviews in Simplified
  Chinese, labelled positive / negative only. Used only to measure, never to train.

Speed: 100,000 distinct comments from those sets, scored in one process and in two.
"""

from __future__ import annotations

import csv
import json
import os
import random
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from socialkpi.metrics.sentiment import _score_one, evaluate, evaluate_binary, get_scorer

ROOT = Path(__file__).parent.parent
TEAM_SETS = {"zh-TW": "zh_tw_eval.tsv", "en": "en_eval.tsv"}
DEV = Path(os.environ.get("SOCIALKPI_SENTIMENT_DEV", ROOT.parent / "shared/data/sentiment-dev"))
PUBLIC_SETS = {"food_delivery": "waimai_10k.csv", "online_shopping": "online_shopping_9_cats.csv"}
SAMPLES, SAMPLE_SIZE = 10, 1000
SPEED_N = 100_000


def team_set(name: str) -> list[dict]:
    with (ROOT / "tests" / "fixtures" / "sentiment" / name).open(encoding="utf-8") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def public_set(name: str) -> list[dict]:
    with (DEV / name).open(encoding="utf-8-sig") as f:
        return [
            {
                "text": r["review"],
                "label": "positive" if r["label"] == "1" else "negative",
                "cat": r.get("cat", ""),
            }
            for r in csv.DictReader(f)
        ]


def measure_team(scorer) -> dict:
    results = {}
    for lang, name in TEAM_SETS.items():
        rows = team_set(name)
        results[lang] = evaluate([r["text"] for r in rows], [r["label"] for r in rows], scorer)
        for tag in ("sarcasm", "negation", "emoji", "mixed"):
            tagged = [r for r in rows if tag in r["tags"].split(",")]
            if tagged:
                part = evaluate([r["text"] for r in tagged], [r["label"] for r in tagged], scorer)
                results[lang][f"accuracy_{tag}"] = part["accuracy"]
    return results


def measure_public(scorer, rows: list[dict]) -> dict:
    texts = [r["text"] for r in rows]
    predicted = {t: label for t, (_, label) in zip(texts, scorer.score(texts), strict=True)}
    whole = evaluate_binary([r["label"] for r in rows], [predicted[r["text"]] for r in rows])
    rng = random.Random(0)
    positive = [r for r in rows if r["label"] == "positive"]
    negative = [r for r in rows if r["label"] == "negative"]
    samples = []
    for _ in range(SAMPLES):
        sample = rng.sample(positive, SAMPLE_SIZE // 2) + rng.sample(negative, SAMPLE_SIZE // 2)
        labels = [r["label"] for r in sample]
        samples.append(evaluate_binary(labels, [predicted[r["text"]] for r in sample]))
    accuracy = [s["balanced_accuracy"] for s in samples]
    result = {
        "all_rows": whole,
        f"balanced_samples_of_{SAMPLE_SIZE}": {
            "n_samples": SAMPLES,
            "balanced_accuracy_mean": round(sum(accuracy) / len(accuracy), 4),
            "balanced_accuracy_min": min(accuracy),
            "balanced_accuracy_max": max(accuracy),
            "positive_vs_rest_mean": round(
                sum(s["positive_vs_rest"] for s in samples) / len(samples), 4
            ),
        },
    }
    categories = sorted({r["cat"] for r in rows if r["cat"]})
    if categories:
        result["by_category"] = {
            cat: evaluate_binary(
                [r["label"] for r in rows if r["cat"] == cat],
                [predicted[r["text"]] for r in rows if r["cat"] == cat],
            )["balanced_accuracy"]
            for cat in categories
        }
    return result


def _score_chunk(texts: list[str]) -> int:
    return len(get_scorer().score(texts))


def measure_speed(texts: list[str]) -> dict:
    comments = [f"{texts[i % len(texts)]} {i}" for i in range(SPEED_N)]  # distinct: no cache hits
    _score_one.cache_clear()  # texts scored for accuracy must not be cache hits here
    start = time.perf_counter()
    _score_chunk(comments)
    one = time.perf_counter() - start
    _score_one.cache_clear()
    start = time.perf_counter()
    with ProcessPoolExecutor(2) as pool:
        half = SPEED_N // 2
        sum(pool.map(_score_chunk, [comments[:half], comments[half:]]))
    two = time.perf_counter() - start
    return {
        "comments": SPEED_N,
        "seconds_one_process": round(one, 1),
        "seconds_two_processes": round(two, 1),
        "cpus": os.cpu_count(),
    }


def main() -> None:
    scorer = get_scorer("lexicon")
    results = {"scorer": scorer.name, "team_sets": measure_team(scorer)}
    if DEV.is_dir():
        public = {key: public_set(name) for key, name in PUBLIC_SETS.items()}
        results["public_sets"] = {key: measure_public(scorer, rows) for key, rows in public.items()}
        results["speed"] = measure_speed([r["text"] for rows in public.values() for r in rows])
    else:
        results["public_sets"] = f"not measured: {DEV} not found"
    out = ROOT / "bench" / "results" / "sentiment_eval.json"
    tmp = out.with_suffix(".tmp")
    tmp.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", "utf-8")
    tmp.replace(out)
    print(json.dumps(results, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
