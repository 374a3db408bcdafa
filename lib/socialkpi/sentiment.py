"""Sentiment of short social-media comments in Traditional Chinese, English or both.

A scorer turns texts into ``(score in -1..1, label)``. The default, ``lexicon``, works
offline: a Traditional Chinese lexicon shipped in ``sentiment_lexicon.yaml`` (longest-match,
negation, intensifiers, emoji, Taiwanese slang, a few irony cues; Simplified text is
converted to Traditional first with OpenCC's tables) and VADER for English
(a lexicon that ships inside the ``vaderSentiment`` package, with our additions). Its
measured accuracy is in ``bench/results/sentiment_eval.json`` and the README.

Other scorers plug in through :data:`SCORERS`; a brand picks one in ``brands.yaml``
(``sentiment: lexicon``). Labels imported from a listening tool always win over scores.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Sequence
from importlib import resources
from typing import Protocol

import yaml

LABELS = ("positive", "neutral", "negative")
THRESHOLD = 0.05  # |score| below this is neutral (VADER's convention)
_HAN = re.compile(r"[\u3400-\u9fff]")
_LATIN_RUN = re.compile(r"[A-Za-z][A-Za-z0-9'’\-+/ ,.!?]*")
_EVENT = re.compile(
    r"\b(again|another|wait(ed|ing)?|hours?|minutes?|down|delay(ed)?|late|less|lost|losing|ice|extra|twice|outage|vacation)\b"
)


class Scorer(Protocol):
    name: str

    def score(self, texts: Sequence[str], lang: str = "auto") -> list[tuple[float, str]]: ...


def label_for(score: float) -> str:
    if math.isnan(score):
        return "neutral"
    return "positive" if score >= THRESHOLD else "negative" if score <= -THRESHOLD else "neutral"


def detect_language(text: str) -> str:
    """``zh-Hant``, ``zh-Hans``, ``en``, ``mixed`` (Chinese with English words) or ``other``.

    Traditional vs Simplified: a Han character that Big5 lacks but GB2312 has is simplified.

    Examples
    --------
    >>> [detect_language(t) for t in ["好喝", "这个好喝", "Love it", "店員 so nice", "👍"]]
    ['zh-Hant', 'zh-Hans', 'en', 'mixed', 'other']
    """
    han = _HAN.findall(text)
    latin = re.findall(r"[A-Za-z]{2,}", text)
    if not han:
        return "en" if latin else "other"
    simplified = sum(1 for ch in han if not _encodes(ch, "cp950") and _encodes(ch, "gb2312"))
    base = "zh-Hans" if simplified > 0 and simplified >= len(han) * 0.1 else "zh-Hant"
    return "mixed" if sum(len(w) for w in latin) >= 3 else base


def _encodes(ch: str, codec: str) -> bool:
    try:
        ch.encode(codec)
    except UnicodeEncodeError:
        return False
    return True


@functools.cache
def _lexicon() -> dict:
    return yaml.safe_load(
        (resources.files("socialkpi") / "sentiment_lexicon.yaml").read_text("utf-8")
    )


@functools.cache
def _zh_terms() -> tuple[dict[str, float], int]:
    lex = _lexicon()["zh"]
    terms: dict[str, float] = {}
    for sign, key in ((1, "positive"), (-1, "negative")):
        for weight, words in lex[key].items():
            for w in words:
                terms.setdefault(str(w), sign * float(weight))
    for w in lex.get("neutral", []):
        terms[str(w)] = 0.0
    return terms, max(len(t) for t in terms)


@functools.cache
def _to_traditional():
    from opencc import OpenCC  # opencc-python-reimplemented: pure Python, dictionaries inside

    return OpenCC("s2twp").convert


@functools.cache
def _vader():
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    analyzer = SentimentIntensityAnalyzer()
    analyzer.lexicon.update({k.lower(): float(v) for k, v in _lexicon()["en"]["words"].items()})
    return analyzer


def _zh_raw(text: str) -> tuple[float, bool, bool]:
    """Raw lexicon sum for Chinese text, and whether positive / negative terms occurred."""
    lex = _lexicon()["zh"]
    terms, longest = _zh_terms()
    negators = sorted(lex["negators"], key=len, reverse=True)
    boosts = lex["intensifiers"]
    raw, pos, neg = 0.0, False, False
    i = 0
    while i < len(text):
        for size in range(min(longest, len(text) - i), 0, -1):
            word = text[i : i + size]
            if word in terms:
                weight = terms[word]
                before = text[max(0, i - 4) : i]
                if weight and any(before.endswith(n) for n in negators):
                    weight *= -0.8
                if weight and any(before.endswith(b) for b in boosts):
                    weight *= max(boosts[b] for b in boosts if before.endswith(b))
                raw += weight
                pos, neg = pos or weight > 0, neg or weight < 0
                i += size
                break
        else:
            i += 1
    emoji = _lexicon()["emoji"]
    for e in emoji["positive"]:
        raw += 2.0 * text.count(e)
        pos = pos or e in text
    for e in emoji["negative"]:
        raw -= 2.0 * text.count(e)
        neg = neg or e in text
    return raw, pos, neg


def _en_raw(text: str) -> tuple[float, bool, bool]:
    lower = text.lower()
    compound = _vader().polarity_scores(text)["compound"]
    raw = 4.0 * compound
    for phrase, weight in _lexicon()["en"]["phrases"].items():
        if phrase in lower:
            raw += float(weight)
    negative_event = bool(_EVENT.search(lower)) or raw < 0
    sarcastic = any(cue in lower for cue in _lexicon()["en"]["sarcasm"])
    if sarcastic and raw > 0 and negative_event:
        raw = -abs(raw)
    return raw, raw > 0, raw < 0


class LexiconScorer:
    """The offline default: zh-TW lexicon + VADER, mixed text scored by both."""

    name = "lexicon"

    def score(self, texts: Sequence[str], lang: str = "auto") -> list[tuple[float, str]]:
        return [_score_one(str(t), lang) for t in texts]


@functools.lru_cache(maxsize=200_000)
def _score_one(text: str, lang: str = "auto") -> tuple[float, str]:
    text = text.strip()
    if not text:
        return (0.0, "neutral")
    kind = detect_language(text) if lang == "auto" else ("en" if lang == "en" else "zh-Hant")
    if kind == "en":
        raw, _, _ = _en_raw(text)
    else:
        if kind == "zh-Hans" or (
            kind == "mixed" and detect_language(_LATIN_RUN.sub("", text)) == "zh-Hans"
        ):
            text = _to_traditional()(text)  # the lexicon is Taiwanese Traditional Chinese
        raw, pos, neg = _zh_raw(text)
        if kind == "mixed":
            english = " ".join(m.group(0) for m in _LATIN_RUN.finditer(text))
            raw += _en_raw(english)[0] if english.strip() else 0.0
        cues = _lexicon()["zh"]["sarcasm"]
        if pos and neg and any(c in text for c in cues):
            raw = -abs(raw) - 1.0  # praise wrapped around a complaint: irony
        elif pos and neg and raw > 0 and any(c in text for c in ("謝謝", "感謝", "好棒", "厲害")):
            raw = -abs(raw)
    score = raw / math.sqrt(raw * raw + 15.0)
    return (round(score, 4), label_for(score))


SCORERS: dict[str, type] = {"lexicon": LexiconScorer}


def get_scorer(name: str = "lexicon") -> Scorer:
    if name not in SCORERS:
        raise ValueError(f"unknown sentiment scorer {name!r}; available: {', '.join(SCORERS)}")
    return SCORERS[name]()


def evaluate(
    texts: Sequence[str], labels: Sequence[str], scorer: Scorer | None = None, lang: str = "auto"
) -> dict:
    """Accuracy, macro-F1 and per-label precision/recall of a scorer on labelled texts."""
    scorer = scorer or get_scorer()
    predicted = [label for _, label in scorer.score(list(texts), lang)]
    pairs = list(zip(labels, predicted, strict=True))
    per_label = {}
    for label in LABELS:
        tp = sum(1 for t, p in pairs if t == label and p == label)
        fp = sum(1 for t, p in pairs if t != label and p == label)
        fn = sum(1 for t, p in pairs if t == label and p != label)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_label[label] = {
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "f1": round(f1, 4),
        }
    accuracy = sum(t == p for t, p in pairs) / len(pairs) if pairs else math.nan
    macro = sum(v["f1"] for v in per_label.values()) / len(LABELS)
    return {
        "n": len(pairs),
        "accuracy": round(accuracy, 4),
        "macro_f1": round(macro, 4),
        "per_label": per_label,
    }
