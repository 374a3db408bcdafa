import altair as alt
import pandas as pd

from socialkpi.presentation import charts


def test_charts_name_their_definition_in_both_languages():
    frame = pd.DataFrame({"period": ["2026-09", "2026-10"], "value": [0.05, 0.06]})
    zh = charts.trend(frame, "engagement_rate_reach", "zh-TW").to_dict()
    assert zh["title"] == {"text": "互動率（依觸及）", "subtitle": "定義：互動次數 ÷ 貼文觸及人數"}
    assert zh["encoding"]["y"]["axis"]["format"] == ".1%"
    assert zh["encoding"]["x"]["sort"] == [
        "2026年9月",
        "2026年10月",
    ]  # months as the page says them
    en = charts.bars(
        pd.DataFrame({"platform": ["x"], "value": [3]}), "platform", "reach", "en"
    ).to_dict()
    assert en["title"]["subtitle"].startswith("Definition: Sum of the reach")


def test_theme_uses_cjk_fonts():
    config = charts.trend(pd.DataFrame({"period": ["2026-10"], "value": [1]}), "reach").to_dict()[
        "config"
    ]
    assert config["font"].startswith("Noto Sans CJK TC")
    assert alt.theme.active == "socialkpi"


def test_static_svg_renders_chinese_text_offline():
    import vl_convert as vlc

    chart = charts.trend(
        pd.DataFrame({"period": ["2026-09"], "value": [0.05]}), "engagement_rate_reach", "zh-TW"
    )
    svg = vlc.vegalite_to_svg(chart.to_json())
    assert "互動率（依觸及）" in svg and "http" not in svg.replace("http://www.w3.org", "")


def test_shares_get_one_panel_per_platform_and_names():
    frame = pd.DataFrame(
        {
            "platform": ["tiktok", "tiktok", "facebook"],
            "segment": ["TW", "HK", "TW"],
            "share": [0.6, 0.4, 0.9],
        }
    )
    spec = charts.shares(frame, "country", "國家或地區", "zh-TW").to_dict()
    assert spec["facet"]["column"]["field"] == "panel"  # shares of two audiences are never added
    labels = {(r["panel"], r["label"]) for r in spec["datasets"][spec["data"]["name"]]}
    assert labels == {("TikTok", "台灣"), ("TikTok", "香港"), ("Facebook", "台灣")}


def test_daily_series_break_where_there_is_no_value():
    frame = pd.DataFrame(
        {"day": pd.date_range("2026-10-01", periods=3).date, "value": [0.1, None, 0.2]}
    )
    spec = charts.daily(frame, "negative_share", "en").to_dict()
    assert spec["mark"]["invalid"] == "break-paths-show-domains"
