"""The executive summary: hand-worked rules on tiny frames, a property test of the evidence
rules, consistency with the scorecard, an X-only store, the action loop and the CLI."""

import json
import math
from datetime import date

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from socialkpi import kpi, narrative, retro, review, store, summary
from socialkpi.cli import main
from socialkpi.evidence import Comparison

NAN = math.nan


def _row(kpi_id, value, previous, assessment, unit="count", platform="all", **parts):
    return {
        "kpi": kpi_id,
        "definition": "engagement_rate_reach" if kpi_id == "engagement_rate" else kpi_id,
        "platform": platform,
        "value": value,
        "previous": previous,
        "change": value - previous,
        "unit": unit,
        "assessment": assessment,
        "numerator": parts.get("n", NAN),
        "denominator": parts.get("d", NAN),
        "previous_numerator": parts.get("pn", NAN),
        "previous_denominator": parts.get("pd", NAN),
    }


REPORT = [
    _row("engagement_rate", 0.06, 0.05, "up_beyond", "percent", n=60, d=1000, pn=45, pd=900),
    _row("engagements", 60, 45, "up_beyond"),
    _row("reach", 1000, 900, "within"),
    _row("followers", 500, 1000, "down_beyond"),
    _row("mention_volume", 30, 10, "up_beyond"),
    _row("mention_volume", 25, 5, "up_beyond", platform="facebook"),
    _row("mention_volume", 5, 5, "within", platform="x"),
]


def _cmp(
    group,
    n=6,
    n_rest=6,
    median=0.06,
    rest=0.04,
    low=0.01,
    high=0.03,
    by="content_type",
    metric="engagement_rate_exposure",
    min_posts=5,
):
    return Comparison(
        by, group, metric, n, n_rest, median, rest, median - rest, low, high, min_posts
    )


def _goal(kpi_id="engagement_rate_reach", status="at-risk", latest=0.05, target=0.08, **more):
    return {
        "goal": f"g-{kpi_id}",
        "kpi": kpi_id,
        "platforms": [],
        "priority": "primary",
        "owner": "Amy",
        "end": date(2026, 12, 31),
        "baseline": 0.04,
        "target": target,
        "latest": latest,
        "projected": 0.06,
        "status": status,
        "unit": "percent",
        **more,
    }


def _summarize(
    report=REPORT,
    goals=(),
    decompositions=None,
    content=(),
    responses=(),
    episodes=None,
    freshness=None,
    recent=(),
):
    return summary.summarize(
        pd.DataFrame(report),
        pd.DataFrame(list(goals)),
        decompositions or {},
        list(content),
        list(responses),
        episodes if episodes is not None else pd.DataFrame(),
        freshness or {"facebook": "2026-10-31"},
        set(recent),
        "2026-10",
        ("facebook",),
        brand="acme",
    )


def test_movers_are_changes_beyond_normal_variation_goal_kpis_first():
    s = _summarize(goals=[_goal("followers", "on-track", 500, 600, unit="count")])
    # beyond: engagement rate (+20% relative), engagements (+33%), followers (-50%),
    # mentions (+200%); reach is within normal variation. Three at most: the goal's KPI first,
    # then the brand's engagement rate, then the largest relative change (mentions).
    assert [m.kpi for m in s.movers] == ["followers", "engagement_rate_reach", "mention_volume"]
    followers = s.movers[0]
    assert (followers.value, followers.previous, followers.change) == (500, 1000, -500)
    assert followers.scope == ("facebook",) and followers.period == "2026-10"


def test_each_mover_names_its_driver():
    effects = pd.DataFrame(
        {
            "effect": ["volume", "mix", "per_post", "rate", "unmeasured", "total"],
            "value": [10.0, -1.0, 4.0, 2.0, 0.0, 15.0],
        }
    )
    s = _summarize(decompositions={"engagements": effects})
    by_kpi = {m.kpi: m.driver for m in s.movers}
    # ratio: engagements 45 -> 60 (+33.3%), reach 900 -> 1000 (+11.1%)
    rate = by_kpi["engagement_rate_reach"]
    assert rate["kind"] == "ratio" and rate["numerator"] == "engagements"
    assert rate["numerator_change"] == pytest.approx(15 / 45)
    assert rate["denominator_change"] == pytest.approx(100 / 900)
    # the platform whose change went the same way most: facebook +20 (x did not move)
    assert by_kpi["mention_volume"] == {"kind": "platform", "platform": "facebook", "value": 20}
    s = _summarize(report=REPORT[1:3], decompositions={"engagements": effects})
    assert s.movers[0].driver == {"kind": "effect", "effect": "volume", "value": 10.0}
    said = narrative.say(s, "en")
    assert said.movers == [
        "Engagements rose 33.3% to 60 (previous month 45), beyond normal variation; "
        "mostly from more posts (+10)."
    ]
    assert narrative.say(s, "zh-TW").movers == [
        "互動次數增加 33.3%，為 60（上月 45），超出正常波動；主因是發文數增加（+10）。"
    ]


def test_headline_counts_goals_and_names_the_lagging_ones():
    goals = [
        _goal(status="on-track"),
        _goal("followers", "off-track", 500, 800, unit="count"),
        _goal("reach", "at-risk", 1000, 1500, unit="count"),
    ]
    s = _summarize(goals=goals)
    assert narrative.say(s, "en").headline == (
        "Of 3 goals, 1 on track, 1 at risk, 1 off track: Followers is at 500 against a target of "
        "800 by Dec 31, 2026; Reach is at 1,000 against a target of 1,500 by Dec 31, 2026."
    )
    assert narrative.say(s, "zh-TW").headline.startswith(
        "3 個目標中，1 個進度正常、1 個有風險、1 個落後：粉絲數目前 500"
    )
    assert (
        narrative.say(_summarize(goals=goals[:1]), "en").headline
        == "Every goal is on track (1 in all)."
    )
    assert "No KPI goals" in narrative.say(_summarize(), "en").headline


def test_risks_crisis_off_track_stale_and_missing():
    episodes = pd.DataFrame(
        [
            {
                "start": pd.Timestamp("2026-10-14 02:00", tz="UTC"),
                "volume": 120,
                "negative_share": 0.6,
                "first_response_h": NAN,
            }
        ]
    )
    goals = [_goal("followers", "off-track", 500, 800, unit="count")]
    # facebook's data ends on the 25th (more than 2 days before the 31st); x had data in the
    # months before and none this month
    s = _summarize(
        goals=goals,
        episodes=episodes,
        freshness={"facebook": "2026-10-25", "x": "2026-09-30"},
        recent={"facebook", "x"},
    )
    assert [r.kind for r in s.risks] == ["crisis", "off_track", "stale", "missing"]
    said = narrative.say(s, "en", timezone="Asia/Taipei").risks
    assert "no reply from the brand yet" in said[0] and "120 comments" in said[0]
    assert said[2].startswith("Facebook data ends on Oct 25, 2026")
    assert said[3].startswith("X had data in earlier months")
    assert _summarize(freshness={"facebook": "2026-10-30"}).risks == []  # a day's lag is normal
    assert [r.kind for r in _summarize(freshness={"facebook": "2026-10-29"}).risks] == ["stale"]


def test_actions_need_evidence_and_are_one_per_finding():
    reel = _cmp("reel")  # 6 and 6 posts, interval +1 to +3 pp: supported
    weak = _cmp("video", n=4)  # too few posts
    unclear = _cmp("carousel", low=-0.01, high=0.03)  # interval through zero
    slow = _cmp(
        "evening",
        by="daypart",
        metric="response_time_median",
        median=5.0,
        rest=1.0,
        low=2.0,
        high=6.0,
    )
    goals = [
        _goal(status="on-track"),
        _goal("engagements", "off-track", 45, 90, unit="count"),
        _goal("response_time_median", "at-risk", 3.0, 1.0, unit="hours"),
    ]
    s = _summarize(goals=goals, content=[reel, reel, weak, unclear], responses=[slow])
    assert [(a.finding, a.kind) for a in s.actions] == [
        ("daypart:evening", "staff"),  # +400% of the rest's median: the largest difference
        ("content_type:reel", "more"),  # once, though found twice and serving two goals
    ]
    staff, more = s.actions
    assert staff.goal["kpi"] == "response_time_median" and staff.owner == "Amy"
    assert more.goal["kpi"] == "engagements"  # the lagging content goal, not the on-track one
    assert [c.group for c in s.candidates] == ["video", "carousel"]
    said = narrative.say(s, "en")
    assert said.actions[1].text == "Post more Reel posts"
    assert "6 posts of type Reel" in said.actions[1].evidence
    assert "(95% interval +1.00 pp to +3.00 pp)" in said.actions[1].evidence
    assert said.actions[0].text == "Add reply staff in the evening (18–23)"


def test_follow_up_is_the_goal_on_its_path_to_the_target():
    s = _summarize(
        goals=[_goal(status="at-risk", latest=0.05, target=0.08)], content=[_cmp("reel")]
    )
    f = s.actions[0].follow_up
    # due at the end of November; November and December left: 0.05 + (0.08 - 0.05) / 2
    assert f["due"] == date(2026, 11, 30) and f["kpi"] == "engagement_rate_reach"
    assert f["baseline"] == 0.05 and f["target"] == pytest.approx(0.065)
    no_goal = _summarize(content=[_cmp("reel")]).actions[0]
    assert no_goal.goal is None and no_goal.owner is None
    # the finding's own measure, from the rest's median up to the group's
    assert (no_goal.follow_up["baseline"], no_goal.follow_up["target"]) == (0.04, 0.06)


_comparisons = st.builds(
    _cmp,
    group=st.sampled_from(["reel", "video", "image", "link"]),
    n=st.integers(0, 12),
    n_rest=st.integers(0, 12),
    median=st.floats(0, 0.2),
    rest=st.floats(0, 0.2),
    low=st.floats(-0.1, 0.1),
    high=st.floats(-0.1, 0.1),
    min_posts=st.integers(2, 8),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(_comparisons, max_size=8))
def test_no_action_without_enough_posts_or_with_an_interval_through_zero(found):
    s = _summarize(content=found, goals=[_goal()])
    for a in s.actions:
        c = a.evidence
        assert c.n >= c.min_posts and c.n_rest >= c.min_posts
        assert c.low > 0 or c.high < 0
    assert len(s.actions) <= summary.MAX_ACTIONS
    assert len({a.finding for a in s.actions}) == len(s.actions)
    assert all(not c.supported for c in s.candidates)


def test_unavailable_kpis_are_listed_once_and_left_out_of_the_narrative():
    rows = [*REPORT, _row("revenue", NAN, NAN, "no_data", "currency")]
    rows.append(_row("engagement_rate_followers", NAN, NAN, "no_data", "percent"))
    s = _summarize(report=rows)
    assert s.unavailable == ["revenue"]  # a headline KPI; other ids are not the reader's
    said = narrative.say(s, "zh-TW")
    assert said.notes == ["這些匯出檔沒有以下 KPI 的資料：營收。"]
    assert not any("營收" in line for line in said.movers + said.risks)


def test_summary_numbers_equal_the_scorecard(sample_db):
    con = store.open_store(sample_db[0], read_only=True)
    try:
        for brand in ("lumi_tea", "northwind_cloud"):
            goals = review.load_goals_or_none(f"data/goals/{brand}.yaml")
            report = kpi.kpi_report(con, brand, "2026-10")
            s = review.executive_summary(con, brand, "2026-10", goals_file=goals)
            rows = report[report["platform"] == "all"].set_index("kpi")
            chosen = kpi.rate_definition(report)
            assert s.movers, brand
            for m in s.movers:
                row = rows.loc["engagement_rate" if m.kpi == chosen else m.kpi]
                assert (m.value, m.previous, m.change) == (
                    row["value"],
                    row["previous"],
                    row["change"],
                )
                if m.driver["kind"] == "effect":  # the decomposition adds up to the same change
                    posts = {k: review.posts_of(con, brand, k) for k in ("2026-09", "2026-10")}
                    from socialkpi import drivers

                    total = drivers.decompose(posts["2026-09"], posts["2026-10"], m.kpi)
                    assert total.set_index("effect").loc["total", "value"] == pytest.approx(
                        m.change
                    )
            for g in s.goals:  # a goal over every platform reads the scorecard's number
                if not g["platforms"] and g["kpi"] in rows.index:
                    assert g["latest"] == pytest.approx(rows.loc[g["kpi"], "value"])
    finally:
        con.close()


def test_x_only_store_has_a_headline_rate_and_no_dash_sentences(con, load):
    load("good/x_account_analytics_content_2026-09-01_2026-09-30.csv")
    s = review.executive_summary(con, "acme", "2026-09")
    assert s.engagement_rate == "engagement_rate_exposure"  # X reports impressions, not reach
    report = kpi.kpi_report(con, "acme", "2026-09")
    headline = report[(report["kpi"] == "engagement_rate") & (report["platform"] == "all")]
    assert headline["value"].notna().all()
    for lang in ("en", "zh-TW"):
        said = narrative.say(s, lang)
        lines = [
            said.headline,
            said.scope,
            *said.movers,
            *said.risks,
            *said.candidates,
            *said.notes,
        ]
        assert not any("—" in line or "–" in line.replace("6–11", "") for line in lines), lines
        assert len(said.notes) == 2  # what these exports lack, and the definition used instead
    assert "Reach" in narrative.say(s, "en").notes[0]


def test_carried_items_are_measured_against_their_follow_up(sample_db):
    con = store.open_store(sample_db[0], read_only=True)
    try:
        value = kpi.kpi_report(con, "lumi_tea", "2026-10", ids=["engagements"])
        engagements = float(value[value["platform"] == "all"]["value"].iloc[0])
        items = pd.DataFrame(
            [
                {
                    "id": "a",
                    "kpi": "engagements",
                    "platforms": [],
                    "baseline": 1.0,
                    "target": 2.0,
                    "due": "2026-10-31",
                },
                {
                    "id": "b",
                    "kpi": "engagements",
                    "platforms": [],
                    "baseline": 1.0,
                    "target": 1e12,
                    "due": "2026-10-31",
                },
                {
                    "id": "c",
                    "kpi": "engagements",
                    "platforms": [],
                    "baseline": 1.0,
                    "target": 1e12,
                    "due": "2026-11-30",
                },
                {
                    "id": "d",
                    "kpi": None,
                    "platforms": [],
                    "baseline": None,
                    "target": None,
                    "due": "2026-10-31",
                },
                {
                    "id": "e",
                    "kpi": "engagements",
                    "platforms": NAN,
                    "baseline": 1.0,
                    "target": 2.0,
                    "due": "2026-10-31",
                },
            ]
        )
        measured = retro.follow_up(con, "lumi_tea", "2026-10", items).set_index("id")
    finally:
        con.close()
    assert measured.loc["a", "now"] == engagements
    assert measured.loc["a", "effect"] == engagements - 1
    assert measured["result"].to_dict() == {
        "a": "met",
        "b": "missed",
        "c": "pending",
        "d": "unmeasured",
        "e": "met",
    }
    assert measured.loc["e", "now"] == engagements  # an item logged without platforms: all of them


def test_action_items_carry_their_finding_goal_and_follow_up():
    s = _summarize(goals=[_goal()], content=[_cmp("reel")])
    (item,) = retro.action_items(s, ["Post more Reel posts"])
    assert item["id"] == "2026-10-content_type:reel" and item["goal"] == "g-engagement_rate_reach"
    assert (item["kpi"], item["baseline"], item["target"], item["due"]) == (
        "engagement_rate_reach",
        0.05,
        pytest.approx(0.065),
        "2026-11-30",
    )
    assert item["owner"] == "Amy" and item["status"] == "open"


@pytest.mark.parametrize("lang", ["en", "zh-TW"])
def test_cli_summary_in_every_format(sample_db, capsys, lang):
    base = [
        "summary",
        "--brand",
        "lumi_tea",
        "--month",
        "2026-10",
        "--db",
        str(sample_db[0]),
        "--lang",
        lang,
    ]
    assert main([*base, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) >= {"headline", "movers", "risks", "unavailable", "actions"}
    for m in data["movers"]:
        assert set(m) >= {"kpi", "scope", "value", "previous", "change", "driver"}
    for a in data["actions"]:
        assert set(a) >= {"text", "goal", "owner", "evidence", "follow_up"}
        assert min(a["evidence"]["groups"].values()) >= 5
        low, high = a["evidence"]["interval"]
        assert low > 0 or high < 0
        assert set(a["follow_up"]) >= {"kpi", "target", "due"}
    assert all(set(r) == {"kind", "text"} for r in data["risks"])
    assert main([*base, "--format", "md"]) == 0
    md = capsys.readouterr().out
    assert md.startswith("**") and f"**{data['headline']}**" in md and "|" not in md
    assert main(base) == 0
    text = capsys.readouterr().out
    assert data["headline"] in text and "**" not in text
    assert ("個目標中" in text) == (lang == "zh-TW")


def test_cli_summary_refuses_bad_arguments(sample_db, capsys):
    base = ["summary", "--brand", "lumi_tea", "--month", "2026-10", "--db", str(sample_db[0])]
    with pytest.raises(SystemExit):
        main([*base, "--min-posts", "1"])
    assert "2 or more" in capsys.readouterr().err
    assert main([*base, "--goals", "/nonexistent/goals.yaml"]) == 2
    assert "no goals file" in capsys.readouterr().err
