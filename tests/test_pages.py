"""Every page of both report bundles, read as a stakeholder reads it: one language, no machine
noise, no identifiers, no index columns."""

import pytest

from socialkpi import steps
from tests._pagetext import problems


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["zh-TW", "en"])
def test_every_page_speaks_one_language_without_machine_noise(bundles, page_data, lang):
    pages = sorted(bundles[lang].rglob("*.html"))
    # the month's index, and each brand's own index and pages
    assert len(pages) == 1 + 2 * (1 + len(steps.WITH_PAGES))
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


@pytest.fixture
def lumi(sample_db):
    from socialkpi import store
    from socialkpi.presentation.notebook import GOALS_DIR
    from socialkpi.presentation.page import open_page

    con = store.open_store(sample_db[0], read_only=True)
    yield lambda lang="zh-TW": open_page(
        con, "lumi_tea", "2026-10", lang, goals_path=GOALS_DIR / "lumi_tea.yaml"
    )
    con.close()


def test_a_suggested_level_below_the_baseline_is_a_hold_not_a_growth_target(lumi):
    """Reach's baseline is 433,877; the 25th percentile of past quarters would take it to
    393,725, a fall: the conservative cell says to hold 433,877 and the note says why."""
    from socialkpi.steps.goal_setting import page as goal_setting

    html = goal_setting.candidates(lumi()).data
    assert "維持 433,877" in html and "393,725" not in html
    assert "不是成長目標" in html
    assert "hold at 433,877" in goal_setting.candidates(lumi("en")).data


def test_gaps_run_one_way_for_every_goal(lumi):
    """Positive is ahead of the target whichever way is better: the response-time goal (1.4 h
    against 1.5 h, lower is better) is ahead (+), net new followers (6,083 against 6,774)
    behind (−)."""
    import re

    from socialkpi.presentation import sections as _shared

    page = lumi("en")
    html = _shared.goals_table(page, gap=True).data
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", html)
    assert "+0.1 h" in cells and "-691" in cells
    assert "+ ahead of it" in html  # the note says which way the sign runs


def test_a_table_names_the_posts_it_leaves_out(lumi):
    """54 posts were published in October (17 of them on Threads, from the sample's Nov 1
    pull); the 5 YouTube posts have views but no likes, comments or shares in their export, so
    no engagement rate: the content tables count 49 and say so. Every post with a rate has a time (TikTok's from its video id), so the hour
    table has no row of posts without one."""
    from socialkpi.steps.kpi_review import page as kpi_review

    page = lumi("en")
    posts = kpi_review.posts(page)
    assert len(posts) == 54
    by_type = kpi_review.content_by(page, posts, "content_type").data
    assert "49 of the month&#x27;s 54 posts have a value for" in by_type
    assert "the others (YouTube 5) are left out" in by_type
    by_hour = kpi_review.content_by(page, posts, "hour").data
    # TikTok's video ids give their posting times: every post with a rate has an hour
    assert "\u2014" not in by_hour.split("<tbody")[1].split("</tbody>")[0]
    with pytest.raises(ValueError, match="not a per-post rate"):
        kpi_review.content_by(page, posts, "content_type", "followers")
