"""Next month's draft as files: the CSV imports back as the plan, and the .ics file reads
back with a real iCalendar parser."""

import icalendar
import pandas as pd

from socialkpi import store
from socialkpi.ingest import Options, import_paths
from socialkpi.steps.calendar import page as calendar_page
from socialkpi.steps.calendar import reader as calendar_reader

PILLARS = {
    "tips": {
        "name": {"zh-TW": "茶葉知識", "en": "Tea tips"},
        "aliases": [],
        "hashtags": [],
        "keywords": [],
        "target": 0.5,
    },
    "deals": {
        "name": {"zh-TW": "優惠, 活動", "en": "Deals; events"},
        "aliases": [],
        "hashtags": [],
        "keywords": [],
        "target": 0.5,
    },
}


def _calendar(draft: pd.DataFrame) -> calendar_reader.Calendar:
    empty = pd.DataFrame()
    return calendar_reader.Calendar(
        brand="acme",
        month="2026-10",
        platforms=None,
        pillars=PILLARS,
        items=empty,
        posts=empty,
        windows=pd.DataFrame(columns=["platform"]),
        untimed={},
        slots=empty,
        upcoming=empty,
        draft=draft,
    )


DRAFT = pd.DataFrame(
    {
        "planned_for": pd.to_datetime(["2026-11-03", "2026-11-11"]),
        "planned_time": pd.array(["20:00", pd.NA], dtype="string"),
        "platform": ["instagram", "facebook"],
        "pillar": pd.array(["tips", "deals"], dtype="string"),
        "daypart": pd.array(["evening", pd.NA], dtype="string"),
        "lift": [1.2, float("nan")],
        "low": [1.05, float("nan")],
        "high": [1.4, float("nan")],
        "window_posts": pd.array([6, pd.NA], dtype="Int64"),
        "content_type": pd.array(["reel", pd.NA], dtype="string"),  # an action's format
        "topic": pd.array([pd.NA, pd.NA], dtype="string"),
        "action": pd.array(["instagram:content_type:reel", pd.NA], dtype="string"),
    }
)
STAMP = pd.Timestamp("2026-10-31 12:00", tz="UTC")


def test_the_ics_file_reads_back_with_times_in_utc_and_whole_days():
    files = calendar_page.draft_files(_calendar(DRAFT), "zh-TW", "阿克米", "Asia/Taipei", STAMP)
    ics = files["acme-2026-11-draft.ics"]
    assert b"\r\n" in ics and all(len(line) <= 75 for line in ics.split(b"\r\n"))
    cal = icalendar.Calendar.from_ical(ics)
    events = {str(e["SUMMARY"]): e for e in cal.walk("VEVENT")}
    timed = events["Instagram · 茶葉知識"]
    # 20:00 in Taipei (UTC+8) is 12:00 UTC
    assert timed.decoded("DTSTART") == pd.Timestamp("2026-11-03 12:00", tz="UTC").to_pydatetime()
    whole = events["Facebook · 優惠, 活動"]  # commas in a summary survive the escaping
    assert str(whole.decoded("DTSTART")) == "2026-11-11"
    assert "雙11" in str(whole["DESCRIPTION"])
    shopping = events["雙11"]
    assert str(shopping["TRANSP"]) == "TRANSPARENT"
    assert len({str(e["UID"]) for e in cal.walk("VEVENT")}) == 3


def test_the_csv_imports_back_as_the_plan_with_times_and_pillars(tmp_path):
    for lang in ("zh-TW", "en"):
        files = calendar_page.draft_files(_calendar(DRAFT), lang, "Acme", "Asia/Taipei", STAMP)
        path = tmp_path / lang / "content_plan.csv"
        path.parent.mkdir()
        path.write_bytes(files["acme-2026-11-draft.csv"])
        con = store.open_store(tmp_path / lang / "s.duckdb")
        (result,) = import_paths(con, [path], Options(brand="acme"))
        assert result.status == "imported", result.error
        plan = store.read(con, "content_plan", brand="acme").sort_values("planned_for")
        assert plan["platform"].tolist() == ["instagram", "facebook"]
        assert plan["planned_time"].tolist()[0] == "20:00" and pd.isna(
            plan["planned_time"].tolist()[1]
        )
        assert plan["status"].tolist() == ["idea", "idea"]
        names = [PILLARS[p]["name"][lang] for p in ("tips", "deals")]
        assert plan["topic"].tolist() == names
        # the format an action asked for travels as the plan's format
        assert plan["content_type"].tolist()[0] == "reel" and pd.isna(
            plan["content_type"].tolist()[1]
        )


def test_two_alike_posts_on_one_day_stay_two_events():
    twice = pd.concat([DRAFT.iloc[[1]], DRAFT.iloc[[1]]], ignore_index=True)
    files = calendar_page.draft_files(_calendar(twice), "en", "Acme", "Asia/Taipei", STAMP)
    cal = icalendar.Calendar.from_ical(files["acme-2026-11-draft.ics"])
    posts = [e for e in cal.walk("VEVENT") if "TRANSP" not in e]
    assert len(posts) == 2 and posts[0]["UID"] != posts[1]["UID"]


def test_both_languages_files_of_one_draft_are_the_same_plan_items(tmp_path):
    """Ids come from the plan's own keys, not from translated pillar names: importing the
    en file after the zh-TW one updates the same two items."""
    con = store.open_store(tmp_path / "s.duckdb")
    for lang in ("zh-TW", "en"):
        files = calendar_page.draft_files(_calendar(DRAFT), lang, "Acme", "Asia/Taipei", STAMP)
        path = tmp_path / f"plan-{lang}.csv"
        path.write_bytes(files["acme-2026-11-draft.csv"])
        (result,) = import_paths(con, [path], Options(brand="acme"))
        assert result.status == "imported", result.error
    plan = store.read(con, "content_plan", brand="acme")
    assert len(plan) == 2 and plan["planned_id"].str.startswith("draft-").all()
    assert sorted(plan["topic"]) == ["Deals; events", "Tea tips"]  # the later file's words


def test_cells_a_spreadsheet_would_run_are_written_inert_and_read_back(tmp_path):
    pillars = {
        "x": {**PILLARS["tips"], "name": '=HYPERLINK("http://evil.example","click")'},
        "y": {**PILLARS["deals"], "name": "+cmd|' /C calc'!A0"},
    }
    cal = _calendar(DRAFT.assign(pillar=pd.array(["x", "y"], dtype="string")))
    cal = calendar_reader.Calendar(**{**cal.__dict__, "pillars": pillars})
    files = calendar_page.draft_files(cal, "en", "Acme", "Asia/Taipei", STAMP)
    text = files["acme-2026-11-draft.csv"].decode("utf-8-sig")
    cells = [c for line in text.splitlines()[1:] for c in line.split(",")]
    assert not any(c.lstrip('"').startswith(("=", "+", "-", "@")) for c in cells), text
    assert "'=HYPERLINK" in text and "'+cmd" in text
    path = tmp_path / "plan.csv"
    path.write_bytes(files["acme-2026-11-draft.csv"])
    con = store.open_store(tmp_path / "s.duckdb")
    (result,) = import_paths(con, [path], Options(brand="acme"))
    assert result.status == "imported", result.error
    topics = sorted(store.read(con, "content_plan", brand="acme")["topic"])
    assert topics == ["+cmd|' /C calc'!A0", '=HYPERLINK("http://evil.example","click")']


def test_a_bare_carriage_return_is_escaped_in_the_ics_file():
    pillars = {**PILLARS, "tips": {**PILLARS["tips"], "name": "line one\rBEGIN:VEVENT"}}
    cal = calendar_reader.Calendar(**{**_calendar(DRAFT).__dict__, "pillars": pillars})
    ics = calendar_page.draft_files(cal, "en", "Acme", "Asia/Taipei", STAMP)[
        "acme-2026-11-draft.ics"
    ]
    assert b"\r" not in ics.replace(b"\r\n", b"")  # every CR is a line end, no bare one
    events = icalendar.Calendar.from_ical(ics).walk("VEVENT")
    assert any(str(e["SUMMARY"]) == "Instagram · line one\nBEGIN:VEVENT" for e in events)
    assert len(events) == 3  # the text made no event of its own
