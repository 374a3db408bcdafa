"""Sentiment scoring and spike detection over 10,000,000 comments: time and peak memory.

    python bench/listening_bench.py [--comments 10000000] [--distinct 50000]

Comments are drawn from ``--distinct`` texts (sample phrases with numbered variations), as
social comments repeat a lot; the scorer caches per text. Appends one JSON object per run
to bench/results/listening_bench.jsonl.
"""

from __future__ import annotations

import argparse
import resource
import time
from pathlib import Path

import numpy as np
import pandas as pd
from _results import record

from socialkpi.metrics import listening
from socialkpi.metrics.sentiment import get_scorer
from socialkpi.sample import _COMMENTS


def comments(n: int, distinct: int, seed: int = 3) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    phrases = [p for pool in _COMMENTS.values() for p in pool]
    texts = np.array(
        [f"{phrases[i % len(phrases)]} {'!' * (i % 3)}#{i}" for i in range(distinct)], dtype=object
    )
    start = pd.Timestamp("2024-11-01", tz="UTC").value
    span = 730 * 86400 * 10**9
    created = np.sort(rng.integers(start, start + span, n))
    return pd.DataFrame(
        {
            "comment_id": np.arange(n).astype(str),
            "platform": rng.choice(["facebook", "instagram", "tiktok", "youtube"], n),
            "post_id": rng.integers(0, 50_000, n).astype(str),
            "created_at": pd.to_datetime(created, utc=True),
            "text": texts[rng.integers(0, distinct, n)],
            "is_brand_reply": False,
            "parent_id": None,
        }
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--comments", type=int, default=10_000_000)
    parser.add_argument("--distinct", type=int, default=50_000)
    parser.add_argument(
        "--out", default=str(Path(__file__).parent / "results" / "listening_bench.jsonl")
    )
    args = parser.parse_args()
    frame = comments(args.comments, args.distinct)
    scorer = get_scorer()
    start = time.perf_counter()
    scored = scorer.score(frame["text"].tolist())
    frame["sentiment_label"] = [label for _, label in scored]
    sentiment_s = time.perf_counter() - start
    start = time.perf_counter()
    spikes = listening.detect_spikes(listening.hourly(frame))
    found = listening.episodes(frame, spikes)
    spikes_s = time.perf_counter() - start
    record(
        args.out,
        {
            "comments": args.comments,
            "distinct_texts": args.distinct,
            "sentiment_s": round(sentiment_s, 2),
            "spikes_and_episodes_s": round(spikes_s, 2),
            "episodes": len(found),
            "peak_memory_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        },
    )


if __name__ == "__main__":
    main()
