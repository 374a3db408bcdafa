from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from socialkpi.metrics import goals
from socialkpi.steps.goal_setting import analysis as targets
from socialkpi.words.narrative import smart_message

DATA = Path(__file__).parent.parent / "data" / "goals"


def _goal(**kw):
    base = dict(
        id="g",
        objective="engagement",
        kpi="engagement_rate_reach",
        target={"value": 0.08},
        start=date(2026, 10, 1),
        end=date(2026, 12, 31),
        owner="Amy",
    )
    return goals.Goal.model_validate({**base, **kw})


def test_sample_goal_files_load():
    for path in DATA.glob("*.yaml"):
        loaded = goals.load_goals(path)
        assert loaded.brand == path.stem
        assert sum(g.priority == "primary" for g in loaded.goals) <= 3


def test_bad_goals_file_names_every_field(tmp_path):
    bad = tmp_path / "goals.yaml"
    primary = "\n".join(
        f"  - {{id: g{i}, objective: engagement, kpi: reach, target: {{value: 1}}, start: 2026-10-01,"
        f" end: 2026-12-31, owner: A}}"
        for i in range(4)
    )
    bad.write_text(f"brand: x\ngoals:\n{primary}\n", "utf-8")
    with pytest.raises(goals.GoalsError, match="at most 3 primary KPIs"):
        goals.load_goals(bad)
    bad.write_text(
        "brand: x\ngoals:\n  - {id: g, objective: fame, kpi: likes, target: {value: 1, relative: 0.1},"
        " start: 2026-10-01, end: 2026-09-01, owner: A}\n",
        "utf-8",
    )
    with pytest.raises(goals.GoalsError) as err:
        goals.load_goals(bad)
    text = str(err.value)
    assert "goals[0].objective" in text
    assert "goals[0].kpi: unknown KPI 'likes'" in text
    assert "goals[0].target: give exactly one of value" in text


def test_smart_findings():
    history = pd.Series(
        [0.05, 0.052, 0.051, 0.053, 0.05, 0.054], index=[f"2026-0{m}" for m in range(4, 10)]
    )
    checks = {(f.check, f.level) for f in targets.smart_checks(_goal(), history, 0.052)}
    assert ("measurable", "ok") in checks and ("relevant", "ok") in checks
    assert ("achievable", "warn") in checks  # +53.8% in 3 months: never seen
    low = {
        (f.check, f.level)
        for f in targets.smart_checks(_goal(target={"value": 0.04}), history, 0.052)
    }
    assert ("achievable", "warn") in low  # does not beat the baseline
    off = targets.smart_checks(_goal(objective="conversion"), history, 0.052)
    (relevant,) = [f for f in off if f.check == "relevant"]
    assert (relevant.level, relevant.message, relevant.values["measures"]) == (
        "warn",
        "relevant_no",
        "engagement",
    )
    assert smart_message(relevant, "en") == (
        "Engagement rate (by reach) measures Engagement, but the goal's objective is Conversion"
    )
    assert (
        smart_message(relevant, "zh-TW") == "互動率（依觸及）屬於「互動」，與目標類型「轉換」不符"
    )
    empty = targets.smart_checks(_goal(), history * np.nan, float("nan"))
    assert [(f.check, f.level) for f in empty if f.check == "measurable"] == [
        ("measurable", "error")
    ]
    horizon = targets.smart_checks(_goal(horizon="long"), history, 0.052)
    assert any(f.check == "time_bound" and f.level == "warn" for f in horizon)


def test_required_growth_percentile_down_is_harder_when_lower():
    history = pd.Series([10.0, 9.0, 11.0, 8.0])  # 1-month changes -10%, +22.2%, -27.3%
    # a fall of 25% is more than two of the three past changes achieved: percentile 66.7
    assert targets.required_growth_percentile(
        history, 10.0, 7.5, 1, better="down"
    ) == pytest.approx(200 / 3)
    assert targets.required_growth_percentile(
        history, 10.0, 7.0, 1, better="down"
    ) == pytest.approx(100)


def test_pacing_status_transitions():
    # 1-month changes -10%, +22.2%, -13.6%, +26.3%: median +6.11%, 10% quantile -12.55%, 90% +25.09%
    history = pd.Series(
        [100.0, 90.0, 110.0, 95.0, 120.0], index=[f"2026-0{m}" for m in range(1, 6)]
    )

    def goal(target):
        return _goal(target={"value": target}, start=date(2026, 5, 1), end=date(2026, 6, 30))

    on = goals.pace(goal(125), history, 100.0, "2026-05")
    assert on["status"] == "on-track"
    assert on["projected"] == pytest.approx(120 * (1 + (0.2222222222 - 0.1) / 2))
    assert goals.pace(goal(140), history, 100.0, "2026-05")["status"] == "at-risk"
    assert goals.pace(goal(160), history, 100.0, "2026-05")["status"] == "off-track"
    assert goals.pace(goal(125), history, 100.0, "2026-05")["progress"] == pytest.approx(20 / 25)


def test_suggestions_follow_direction():
    history = pd.Series([10.0, 9.0, 11.0, 8.0, 10.0])
    up = targets.suggest_targets(history, 10.0, 1, "up")
    down = targets.suggest_targets(history, 10.0, 1, "down")
    assert up["conservative"] < up["expected"] < up["stretch"]
    assert down["conservative"] > down["expected"] > down["stretch"]


def test_saving_goals_keeps_the_files_comments_and_layout(tmp_path):
    import shutil
    from pathlib import Path

    path = tmp_path / "lumi_tea.yaml"
    shutil.copy(Path(__file__).parent.parent / "data" / "goals" / "lumi_tea.yaml", path)
    data = goals.load_goals(path).model_dump(mode="json", exclude_none=True)
    data["goals"][0]["target"] = {"relative": 0.12}
    data["goals"][2]["target"] = {"value": 400.0}
    del data["goals"][3]  # reply-speed dropped
    goals.save_goals(path, data)
    text = path.read_text("utf-8")
    assert text.startswith("# Lumi Tea 露米茶飲: Q4 2026 goals")  # the comments stay
    assert "target: {relative: 0.12}" in text and "target: {value: 400}" in text  # flow style stays
    assert (
        "start: 2026-10-01\n" in text and "owner: 林小美 (社群經理)" in text
    )  # dates unquoted, CJK as is
    assert "reply-speed" not in text
    saved = goals.load_goals(path)
    assert [g.id for g in saved.goals] == ["ig-engagement", "follower-growth", "social-conversions"]
    assert saved.goals[0].target.relative == 0.12 and saved.goals[2].target.value == 400
