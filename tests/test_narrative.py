import math

import pandas as pd

from socialkpi.words.narrative import goal_label, kpi_sentence


def _row(**kw):
    base = {
        "kpi": "engagement_rate_reach",
        "value": 0.0735,
        "previous": 0.0628,
        "unit": "percent",
        "assessment": "up_beyond",
    }
    return pd.Series({**base, **kw})


def test_sentence_names_kpi_direction_and_size():
    assert kpi_sentence(_row(), "en") == (
        "Engagement rate (by reach) was 7.35%, up 1.07 pp from 6.28% last month "
        "(up, beyond normal variation)."
    )
    assert kpi_sentence(_row(), "zh-TW") == (
        "互動率（依觸及）為 7.35%，較上月（6.28%）上升 1.07 個百分點（上升，超出正常波動）。"
    )


def test_counts_money_flat_and_missing_previous():
    row = _row(kpi="reach", value=433877.0, previous=448174.0, unit="count", assessment="within")
    assert "down 14,297 from 448,174 last month (within normal variation)" in kpi_sentence(
        row, "en"
    )
    money = _row(
        kpi="revenue", value=99308.0, previous=122456.0, unit="currency", assessment="within"
    )
    assert "營收為 NT$99,308，較上月（NT$122,456）下降 NT$23,148" in kpi_sentence(
        money, "zh-TW", "TWD"
    )
    flat = _row(kpi="revenue", value=0.0, previous=0.0, unit="currency", assessment="within")
    assert (
        kpi_sentence(flat, "en", "TWD")
        == "Revenue was NT$0, unchanged from last month (within normal variation)."
    )
    assert "no comparable value" in kpi_sentence(_row(previous=math.nan), "en")


def test_goal_labels_name_the_kpi_and_its_platforms():
    assert goal_label("reach", [], "en") == "Reach"
    assert (
        goal_label("engagement_rate_reach", ["instagram", "tiktok"], "zh-TW")
        == "Instagram、TikTok 互動率（依觸及）"
    )
