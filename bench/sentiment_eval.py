"""Accuracy and macro-F1 of the default sentiment scorer on the labelled evaluation sets
(tests/fixtures/sentiment), per language. Writes bench/results/sentiment_eval.json."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from socialkpi.sentiment import evaluate, get_scorer

ROOT = Path(__file__).parent.parent
SETS = {"zh-TW": "zh_tw_eval.tsv", "en": "en_eval.tsv"}


def load(name: str) -> list[dict]:
    with (ROOT / "tests" / "fixtures" / "sentiment" / name).open(encoding="utf-8") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def main() -> None:
    scorer = get_scorer("lexicon")
    results = {"scorer": scorer.name}
    for lang, name in SETS.items():
        rows = load(name)
        results[lang] = evaluate([r["text"] for r in rows], [r["label"] for r in rows], scorer)
        for tag in ("sarcasm", "negation", "emoji", "mixed"):
            tagged = [r for r in rows if tag in r["tags"].split(",")]
            if tagged:
                part = evaluate([r["text"] for r in tagged], [r["label"] for r in tagged], scorer)
                results[lang][f"accuracy_{tag}"] = part["accuracy"]
    out = ROOT / "bench" / "results" / "sentiment_eval.json"
    out.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", "utf-8")
    print(json.dumps(results, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
