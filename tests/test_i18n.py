"""The message catalogue: both languages have the same keys and placeholders, every key is
used, and no code holds a word of its own."""

import re
import string
from pathlib import Path

import pytest

from socialkpi import metrics, presentation
from socialkpi.words import i18n

ROOT = Path(__file__).parent.parent
SOURCES = [
    *sorted((ROOT / "lib" / "socialkpi").rglob("*.py")),
    *sorted((ROOT / "notebooks").rglob("*.ipynb")),
    *sorted((ROOT / "templates").rglob("*.html*")),
]
# keys looked up with a computed suffix: f"platform.{id}", word("status", ...), etc.
GROUP_USE = re.compile(
    r"""f["'](\w+)\.\{|word\(\s*["'](\w+)["']|text\([^)]*["'](\w+)["']\s*,|Col\([^)]*["'](\w+)["']"""
)


def _placeholders(text: str) -> set[str]:
    text = re.sub(r"\{\w+\|[^|{}]*\|[^|{}]*\}", "", text)  # {n|post|posts}: a word, no value
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_plural_words_follow_their_number():
    assert (
        i18n.t("summary.headline", "en", total=1, counts="1 on track") == "Of 1 goal, 1 on track."
    )
    assert i18n.t("summary.headline", "en", total=3, counts="x") == "Of 3 goals, x."
    assert i18n.t("experiments.posts_of", "en", variant="A", posts=1) == "A 1 post"


def test_both_languages_have_the_same_keys_and_placeholders():
    zh, en = i18n.catalogue("zh-TW"), i18n.catalogue("en")
    assert sorted(set(zh) - set(en)) == [] and sorted(set(en) - set(zh)) == []
    differ = [k for k in zh if _placeholders(zh[k]) != _placeholders(en[k])]
    assert differ == []
    assert all(zh[k].strip() and en[k].strip() for k in zh)


def test_every_key_is_used():
    code = "\n".join(p.read_text("utf-8") for p in SOURCES)
    groups = {g for m in GROUP_USE.finditer(code) for g in m.groups() if g}
    # data values shown through presentation.text(value, kind) look up the group of their kind
    groups |= set(presentation.WORD_KINDS)
    literal = set(re.findall(r"""["']([\w-]+(?:\.[\w()-]+)+)["']""", code))
    # a section heading is asked for by its short name: page.heading("scorecard")
    literal |= {f"section.{k}" for k in re.findall(r"""heading\(\s*["'](\w+)["']""", code)}
    literal |= {
        f"page.{k}.{part}"
        for k in re.findall(r"""intro\(\s*page,\s*["'](\w+)["']""", code)
        for part in ("intro",)
    }
    literal |= {
        f"smart.{m}"
        for m in re.findall(r"""["'](\w+_(?:no|ok|better|stretch)|needs\w*)["']""", code)
    }
    unused = [k for k in i18n.catalogue("en") if k not in literal and k.split(".")[0] not in groups]
    assert unused == []


def test_a_missing_key_is_an_error_not_a_silent_english_word():
    with pytest.raises(
        i18n.MissingMessage, match="no message 'section.nope' in the zh-TW catalogue"
    ):
        i18n.t("section.nope", "zh-TW")


def test_every_kpi_has_a_name_and_definition_in_both_languages():
    for m in metrics.dictionary().values():
        assert set(m.name) == set(m.definition) == set(i18n.LANGS)
        assert re.search(r"[\u4e00-\u9fff]", m.name["zh-TW"]) and not re.search(
            r"[\u4e00-\u9fff]", m.name["en"]
        )


def test_no_module_holds_words_of_its_own():
    """Words readers see come from the catalogue: no Chinese text in the code outside
    docstrings and comments. The importers are exempt (they read the words exports are
    written in), and so are the sample generator and the sentiment scorer (data)."""
    cjk = re.compile(r"[\u4e00-\u9fff]")
    exempt = {"sample.py", "sentiment.py"}
    offenders = []
    for path in sorted((ROOT / "lib" / "socialkpi").rglob("*.py")):
        if path.name in exempt or "ingest" in path.parts:
            continue
        in_docstring = False
        for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
            quotes = line.count('"""')
            if (
                cjk.search(line)
                and not in_docstring
                and not quotes
                and not line.lstrip().startswith("#")
            ):
                code = line.split("#")[0]
                if cjk.search(code):
                    offenders.append(f"{path.relative_to(ROOT)}:{number}")
            in_docstring ^= quotes % 2 == 1
    assert offenders == []
