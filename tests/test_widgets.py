"""The live controls update the chart in place (the same JupyterChart, a new spec)."""

from socialkpi import store
from socialkpi.presentation import widgets


def test_live_trend_follows_its_dropdowns(sample_db):
    from socialkpi.presentation.page import open_page

    path, _ = sample_db
    con = store.open_store(path, read_only=True)
    page = open_page(con, "lumi_tea", "2026-10", "en", interactive=True)
    box = widgets.live_trend(page, kpis=["reach", "engagements"])
    controls, chart = box.children
    pick_brand, pick_kpi, pick_platform = controls.children
    assert [label for label, _ in pick_brand.options] == ["Lumi Tea", "Northwind Cloud"]
    assert chart.chart.to_dict()["title"]["text"] == "Reach"
    pick_kpi.value = "engagements"
    assert chart.chart.to_dict()["title"]["text"] == "Engagements"
    before = chart.chart.to_dict()["datasets"]
    pick_platform.value = "facebook"
    assert chart.chart.to_dict()["datasets"] != before  # facebook only: other numbers
    con.close()


def test_goal_editor_saves_valid_goals_with_a_backup(tmp_path):
    import shutil
    from pathlib import Path

    from socialkpi.metrics import goals

    path = tmp_path / "lumi_tea.yaml"
    shutil.copy(Path(__file__).parent.parent / "data" / "goals" / "lumi_tea.yaml", path)
    editor = widgets.goal_editor(goals.load_goals(path), path, "en")
    first_target = editor.children[0].children[0]
    first_target.value = 0.12
    editor.save()
    assert goals.load_goals(path).goals[0].target.relative == 0.12
    assert goals.load_goals(path.with_name("lumi_tea.yaml.bak")).goals[0].target.relative == 0.08


def test_invalid_goals_are_not_saved(tmp_path):
    import pytest

    from socialkpi.metrics import goals

    path = tmp_path / "g.yaml"
    path.write_text("keep me", "utf-8")
    with pytest.raises(goals.GoalsError, match="not saved"):
        goals.save_goals(path, {"brand": "x", "goals": [{"id": "g"}]})
    assert path.read_text("utf-8") == "keep me" and [p.name for p in tmp_path.iterdir()] == [
        "g.yaml"
    ]


def test_goal_editor_refuses_a_negative_target_and_keeps_the_file(tmp_path):
    import shutil
    from pathlib import Path

    from socialkpi.metrics import goals

    path = tmp_path / "lumi_tea.yaml"
    shutil.copy(Path(__file__).parent.parent / "data" / "goals" / "lumi_tea.yaml", path)
    before = path.read_bytes()
    editor = widgets.goal_editor(goals.load_goals(path), path, "zh-TW")
    editor.children[2].children[0].value = -5  # social-conversions: an absolute key-event target
    editor.save()
    message = editor.children[-1].value
    assert "未儲存" in message and "cannot be negative" in message
    assert path.read_bytes() == before and not path.with_name("lumi_tea.yaml.bak").exists()
