"""The bundle's index page: one language, escaped text, a failed page marked on its card."""

from socialkpi.outputs.index_page import _links, page_html


def test_index_page_is_one_language_and_carries_the_cards_it_is_given():
    zh = page_html("2026-10", "zh-TW", ["<section class='card'>x</section>"])
    assert '<html lang="zh-TW">' in zh and "<h1>社群月報 · 2026年10月</h1>" in zh
    assert "report" not in zh.lower().replace("class='", "")
    en = page_html("2026-10", "en", [])
    assert '<html lang="en">' in en and "<h1>Monthly social media report · Oct 2026</h1>" in en


def test_links_mark_a_failed_page_and_skip_pages_not_run():
    status = {"01_goal_setting": {"ok": True}, "03_kpi_review": {"ok": False}}
    pages = {"01_goal_setting": "Goals", "02_audience": "Audience", "03_kpi_review": "KPI <review>"}
    links = _links("lumi_tea", status, pages, "en")
    assert len(links) == 2
    assert links[0] == "<li><a href='lumi_tea/01_goal_setting.html'>Goals</a></li>"
    assert "KPI &lt;review&gt;" in links[1] and "class='failed'" in links[1]
