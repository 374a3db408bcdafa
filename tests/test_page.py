"""What a page knows of its brand: the name in the page's language, time zone, currency and
platforms, read once from the store."""

import json

import pytest

from socialkpi import store
from socialkpi.presentation.page import open_page


@pytest.fixture
def con(tmp_path):
    con = store.open_store(tmp_path / "p.duckdb")
    names = json.dumps({"zh-TW": "露米茶", "en": "Lumi Tea"})
    store.set_brand(con, "b", "America/New_York", display_name=names, currency="TWD")
    store.set_brand(con, "plain", "Asia/Taipei")
    yield con
    con.close()


def test_brand_settings_reach_the_page(con):
    page = open_page(con, "b", "2026-10", "zh-TW", ["x"])
    assert (page.name, page.timezone, page.platforms) == ("露米茶", "America/New_York", ["x"])
    assert page.number(1234.0, "currency") == "NT$1,234"
    assert page.t("col.kpi") == "指標"
    english = open_page(con, "b", "2026-10", "en", [])
    assert english.name == "Lumi Tea" and english.platforms is None  # [] means all
    assert english.number(1234.0, "currency", signed=True) == "+NT$1,234"


def test_a_brand_without_settings_shows_its_id(con):
    page = open_page(con, "plain", "2026-10", "en")
    assert (page.name, page.currency, page.goals) == ("plain", None, None)
