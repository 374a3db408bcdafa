import math

import pandas as pd

from socialkpi.narrative import kpi_sentence


def _row(**kw):
    base = {"kpi": "engagement_rate_reach", "value": 0.0735, "previous": 0.0628, "unit": "percent",
            "assessment": "up, beyond normal variation"}  # fmt: skip
    return pd.Series({**base, **kw})


def test_sentence_names_kpi_direction_and_size():
    assert kpi_sentence(_row(), "en", "2026-10") == (
        "Engagement rate (by reach) was 7.35% in 2026-10, up 1.07 pp from 6.28% the previous month "
        "(up, beyond normal variation)."
    )
    zh = kpi_sentence(_row(assessment="上升，超出正常波動"), "zh-TW", "2026-10")
    assert (
        zh
        == "2026-10 互動率（依觸及）為 7.35%，較上月（6.28%）上升 1.07 個百分點（上升，超出正常波動）。"
    )


def test_counts_and_missing_previous():
    row = _row(
        kpi="reach",
        value=433877.0,
        previous=448174.0,
        unit="count",
        assessment="within normal variation",
    )
    assert "down 14,297 from 448,174" in kpi_sentence(row, "en", "2026-10")
    assert "no comparable value" in kpi_sentence(_row(previous=math.nan), "en", "2026-10")
