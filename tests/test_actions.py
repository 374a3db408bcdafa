import pytest

from socialkpi.steps.retrospective import actions


def test_append_only_and_idempotent(tmp_path):
    log = tmp_path / "actions.yaml"
    item = {
        "id": "2026-10-g1",
        "month": "2026-10",
        "text": "更多輪播貼文",
        "owner": "Amy",
        "due": "2026-11-30",
    }
    assert actions.append(log, [item]) == 1
    assert actions.append(log, [item]) == 0  # re-running the month adds nothing
    assert actions.append(log, [{**item, "month": "2026-11", "status": "done"}]) == 1
    entries = actions.load(log)
    assert len(entries) == 2 and entries.iloc[0]["status"] == "open"  # history kept
    latest = actions.current(entries)
    assert latest.set_index("id").loc["2026-10-g1", "status"] == "done"
    assert actions.current(entries, before_month="2026-11").iloc[0]["status"] == "open"
    assert "更多輪播貼文" in log.read_text("utf-8")


def test_bad_status_writes_nothing(tmp_path):
    log = tmp_path / "actions.yaml"
    with pytest.raises(ValueError, match="status 'maybe'"):
        actions.append(log, [{"id": "x", "month": "2026-10", "status": "maybe"}])
    assert not log.exists() and list(tmp_path.iterdir()) == []  # no temporary file left
