"""Every page of both report bundles, read as a stakeholder reads it: one language, no machine
noise, no identifiers, no index columns."""

import pytest

from tests._pagetext import problems


@pytest.mark.parametrize("lang", ["zh-TW", "en"])
def test_every_page_speaks_one_language_without_machine_noise(bundles, page_data, lang):
    pages = sorted(bundles[lang].rglob("*.html"))
    assert len(pages) == 15  # the index and seven pages for each of two brands
    found = {p.name: problems(p.read_text("utf-8"), lang, page_data) for p in pages}
    assert {name: issues for name, issues in found.items() if issues} == {}


def test_the_checker_catches_what_it_is_for():
    """The rules fail on what they are meant to catch (a check that cannot fail proves nothing)."""
    page = (
        "<h2>Scorecard</h2><table><tr><th>0</th><td>NaN</td><td>first_response_h</td></tr></table>"
        "<p>本月重點</p>"
    )
    zh = problems(page, "zh-TW", set())
    assert any("index column" in p for p in zh) and any("noise" in p for p in zh)
    assert any("identifier: first_response_h" in p for p in zh) and any(
        "Scorecard" in p for p in zh
    )
    assert any("Chinese on an English page" in p for p in problems(page, "en", set()))
    assert problems("<p>貼文「Cloud tips」</p>", "zh-TW", {"Cloud tips"}) == []  # data as written
