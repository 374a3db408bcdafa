"""Text and JSON renderings of a KPI report, on a two-row report built by hand."""

import math

import pandas as pd

from socialkpi.words.cli_text import dictionary_text, kpi_json, kpi_text


def _report():
    base = {
        "platform": "all",
        "unit": "percent",
        "assessment": "up_beyond",
        "last_year": math.nan,
        "trailing_median": 0.05,
        "exposure_basis": None,
        "change_low": 0.001,
        "change_high": 0.02,
    }
    return pd.DataFrame(
        [
            {
                **base,
                "kpi": "engagement_rate",
                "definition": "engagement_rate_reach",
                "value": 0.0735,
                "previous": 0.0628,
                "change": 0.0107,
            },
            {
                **base,
                "kpi": "reach",
                "definition": "reach",
                "unit": "count",
                "assessment": "within",
                "value": 1200.0,
                "previous": 1000.0,
                "change": 200.0,
                "trailing_median": 1100.0,
                "exposure_basis": None,
            },
            {
                **base,
                "kpi": "reach",
                "definition": "reach",
                "platform": "x",
                "unit": "count",
                "value": 5.0,
                "previous": 5.0,
                "change": 0.0,
            },
        ]
    )


def test_text_names_the_chosen_definition_and_formats_each_unit():
    text = kpi_text(_report(), "acme · 2026-10 · all", "all", "en")
    lines = text.splitlines()
    assert lines[0] == "acme · 2026-10 · all"
    assert "Engagement rate (by reach) *" in text and "7.35%" in text and "+1.07 pp" in text
    assert "1,200" in text and "+200" in text
    assert len(lines) == 5  # title, header, the two rows for all platforms (not x's), note
    chinese = kpi_text(_report(), "acme", "all", "zh-TW")
    assert "互動率（依觸及） *" in chinese and "Engagement" not in chinese


def test_json_keys_are_kpi_ids_with_the_definition_used_and_nulls_for_missing():
    out = kpi_json(_report(), "2026-10", "all", "en")
    assert list(out) == ["engagement_rate", "reach"]
    rate = out["engagement_rate"]
    assert rate["name"] == "Engagement rate (by reach)"
    assert rate["period"] == "2026-10" and rate["value"] == 0.0735
    assert rate["last_year"] is None  # NaN becomes null, never the string "NaN"
    assert rate["change_interval"] == [0.001, 0.02]
    assert out["reach"]["assessment_text"] == "within normal variation"


def test_dictionary_lists_every_kpi_once():
    from socialkpi import metrics

    text = dictionary_text("en")
    for kpi_id in metrics.dictionary():
        assert f" {kpi_id} " in f" {text} ".replace("\n", " ")
