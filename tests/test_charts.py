import re

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


def test_only_labels_known_to_be_short_skip_the_label_limit():
    """Numbers, dates and months are drawn without Vega's label limit (measuring each label
    against it is most of a chart's drawing time); a category's name still gets it, so a
    long name is shortened with an ellipsis instead of widening the chart."""
    import vl_convert as vlc

    long_name = "A competitor whose name goes on and on well past any axis"
    frame = pd.DataFrame({"platform": [long_name, "x"], "value": [1200000, 5]})
    svg = vlc.vegalite_to_svg(charts.bars(frame, "platform", "reach", "en").to_json())
    drawn = re.findall(r"<text[^>]*>([^<]*)</text>", svg)
    assert "A competitor whose name goes …" in drawn and long_name not in drawn
    assert "1,200,000" in drawn  # the number axis, unlimited, is whole
    trend = charts.trend(pd.DataFrame({"period": ["2026-09", "2026-10"], "value": [1, 2]}), "reach")
    spec = trend.to_dict()
    assert spec["config"]["axisQuantitative"] == {"labelLimit": 0}
    assert spec["config"]["axisTemporal"] == {"labelLimit": 0}
    assert spec["encoding"]["x"]["axis"]["labelLimit"] == 0  # the months
