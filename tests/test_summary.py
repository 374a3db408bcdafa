"""The executive summary: hand-worked rules on tiny frames, a property test of the evidence
rules, consistency with the scorecard, an X-only store, the action loop and the CLI."""

import json
import math
from datetime import date

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from socialkpi import reads, store
from socialkpi.cli import main
from socialkpi.metrics import advice, kpi, summary
from socialkpi.metrics.evidence import Comparison
from socialkpi.steps.retrospective import analysis as retro
from socialkpi.steps.retrospective import reader as retro_reader
from socialkpi.words import narrative

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
        "platforms": parts.get("platforms", ("facebook",) if platform == "all" else (platform,)),
        "previous_platforms": parts.get(
            "platforms", ("facebook",) if platform == "all" else (platform,)
        ),
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
    platform="facebook",
    members=(),
):
    return Comparison(
        by,
        group,
        metric,
        n,
        n_rest,
        median,
        rest,
        median - rest,
        low,
        high,
        min_posts,
        platform,
        members,
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


POSTS = pd.DataFrame({"platform": ["facebook"] * 3, "engagement_rate_exposure": [0.04, 0.05, 0.06]})


def _summarize(
    report=REPORT,
    goals=(),
    decompositions=None,
    content=(),
    responses=(),
    episodes=None,
    freshness=None,
    recent=(),
    windows=None,
    scope=("facebook",),
):
    return summary.summarize(
        pd.DataFrame(report),
        pd.DataFrame(list(goals)),
        decompositions or {},
        advice.propose(list(content), list(responses), windows),
        list(content),
        POSTS,
        episodes if episodes is not None else pd.DataFrame(),
        freshness or {"facebook": "2026-10-31"},
        set(recent),
        "2026-10",
        scope,
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
        platform=None,  # replies are compared over every platform
    )
    goals = [
        _goal(status="on-track"),
        _goal("engagements", "off-track", 45, 90, unit="count"),
        _goal("response_time_median", "at-risk", 3.0, 1.0, unit="hours"),
    ]
    s = _summarize(goals=goals, content=[reel, reel, weak, unclear], responses=[slow])
    assert [(a.finding, a.kind) for a in s.actions] == [
        ("daypart:evening", "staff"),  # +400% of the rest's median: the largest difference
        ("facebook:content_type:reel", "more"),  # once, though found twice
    ]
    staff, more = s.actions
    assert staff.goal["kpi"] == "response_time_median" and staff.owner == "Amy"
    assert more.goal["kpi"] == "engagements"  # the lagging engagement goal, not the on-track one
    assert [c.evidence.group for c in s.candidates] == ["video", "carousel"]
    assert [c.reason for c in s.candidates] == ["few", "interval"]
    said = narrative.say(s, "en")
    assert said.actions[1].text == "Facebook: post more Reel posts"
    assert "on Facebook, 6 posts of type Reel" in said.actions[1].evidence
    assert "(95% interval +1.00 pp to +3.00 pp)" in said.actions[1].evidence
    assert said.actions[0].text == "Add reply staff in the evening (18–23)"
    zh = narrative.say(s, "zh-TW")
    assert zh.actions[1].text == "Facebook：多安排「連續短片」類型的貼文"


def test_an_action_serves_a_goal_that_covers_its_platform():
    ig_goal = _goal(platforms=["instagram"], status="off-track")
    fb_goal = _goal("engagements", "on-track", 45, 90, unit="count", platforms=["facebook"])
    s = _summarize(goals=[ig_goal, fb_goal], content=[_cmp("reel")])  # a Facebook finding
    assert s.actions[0].goal["kpi"] == "engagements"  # not the Instagram goal, though it lags
    s = _summarize(goals=[ig_goal], content=[_cmp("reel")])
    assert s.actions[0].goal is None
    assert narrative.say(s, "en").actions[0].serves == "No goal covers this yet."


def test_each_action_follows_up_its_own_effect():
    more = _cmp("reel", median=0.07, rest=0.045)
    less = _cmp("evening", by="daypart", median=0.03, rest=0.055, low=-0.03, high=-0.01)
    s = _summarize(goals=[_goal(status="at-risk")], content=[more, less])
    by = {a.kind: a.follow_up for a in s.actions}
    # both measure Facebook's typical post (median of POSTS' 0.04, 0.05, 0.06 = 0.05) next
    # month, each toward the better side of its own finding: the reels' 7%, the rest's 5.5%
    assert by["more"]["statistic"] == by["less"]["statistic"] == "post_median"
    assert by["more"]["platforms"] == by["less"]["platforms"] == ["facebook"]
    assert (by["more"]["baseline"], by["more"]["target"]) == (0.05, 0.07)
    assert (by["less"]["baseline"], by["less"]["target"]) == (0.05, 0.055)
    assert by["more"]["due"] == date(2026, 11, 30)
    lines = [a.follow_up for a in narrative.say(s, "en").actions]
    assert len(set(lines)) == 2  # no two actions share a follow-up line
    assert "Facebook's typical post (median engagement rate) from 5.00% this month to 7.00%" in (
        lines[0] + lines[1]
    )


def test_two_actions_that_push_the_same_posts_opposite_ways_are_not_both_given():
    # reels are mostly the evening posts: "more reels" and "fewer evening posts" contradict;
    # the larger relative difference (reels, +0.03 on 0.04) stays
    reels = _cmp("reel", median=0.07, rest=0.04, members=("a", "b", "c", "d"))
    evening = _cmp(
        "evening",
        by="daypart",
        median=0.03,
        rest=0.05,
        low=-0.03,
        high=-0.01,
        members=("a", "b", "c", "x"),
    )
    s = _summarize(content=[reels, evening])
    assert [a.finding for a in s.actions] == ["facebook:content_type:reel"]
    assert [(c.evidence.key, c.reason) for c in s.candidates][0] == (
        "facebook:daypart:evening",
        "contradicts",
    )
    said = narrative.say(s, "en").candidates[0]
    assert "pulls the same posts the other way" in said and "Facebook" in said
    # different posts: both stand
    apart = _cmp(
        "evening",
        by="daypart",
        median=0.03,
        rest=0.05,
        low=-0.03,
        high=-0.01,
        members=("w", "x", "y", "z"),
    )
    assert len(_summarize(content=[reels, apart]).actions) == 2


def test_an_action_the_last_months_windows_contradict_is_withheld():
    less_midday = _cmp("midday", by="daypart", median=0.03, rest=0.05, low=-0.03, high=-0.01)
    windows = pd.DataFrame(
        {
            "platform": ["facebook"],
            "weekday": ["Saturday"],
            "daypart": ["midday"],
            "posts": [9],
            "median": [0.06],
            "lift": [1.4],
            "low": [1.1],  # six months say Saturday midday stands out
            "high": [1.8],
            "named": [True],
            "stands_out": [True],
        }
    )
    s = _summarize(content=[less_midday], windows=windows)
    assert s.actions == [] and s.candidates[0].reason == "windows"
    assert "best posting windows of the last 6 months" in narrative.say(s, "en").candidates[0]
    # a window that did not stand out does not stop it
    s = _summarize(content=[less_midday], windows=windows.assign(low=0.9))
    assert [a.finding for a in s.actions] == ["facebook:daypart:midday"]


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


@pytest.mark.slow
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
    # what was not advised is a candidate only when it lacked evidence (or an action or the
    # last months disagreed with it)
    for c in s.candidates:
        assert c.reason in ("contradicts", "windows") or not c.evidence.supported


def test_unavailable_kpis_are_listed_once_and_left_out_of_the_narrative():
    rows = [*REPORT, _row("revenue", NAN, NAN, "no_data", "currency")]
    rows.append(_row("engagement_rate_followers", NAN, NAN, "no_data", "percent"))
    s = _summarize(report=rows)
    assert s.unavailable == ["revenue"]  # a headline KPI; other ids are not the reader's
    said = narrative.say(s, "zh-TW")
    assert said.notes[0] == "這些匯出檔沒有以下 KPI 的資料：營收。"
    assert not any("營收" in n for n in said.notes[1:])
    assert not any("營收" in line for line in said.movers + said.risks)


def test_summary_numbers_equal_the_scorecard(sample_db):
    con = store.open_store(sample_db[0], read_only=True)
    try:
        for brand in ("lumi_tea", "northwind_cloud"):
            goals = reads.load_goals_or_none(f"data/goals/{brand}.yaml")
            report = kpi.kpi_report(con, brand, "2026-10")
            s = reads.executive_summary(con, brand, "2026-10", goals_file=goals)
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
                    posts = {k: reads.posts_of(con, brand, k) for k in ("2026-09", "2026-10")}
                    from socialkpi.metrics import drivers

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
    s = reads.executive_summary(con, "acme", "2026-09")
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
        measured = retro_reader.follow_up(con, "lumi_tea", "2026-10", items).set_index("id")
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
    (item,) = retro.action_items(s, ["Facebook: post more Reel posts"])
    assert item["id"] == "2026-10-facebook:content_type:reel"
    assert item["goal"] == "g-engagement_rate_reach"
    assert (item["kpi"], item["statistic"], item["platforms"]) == (
        "engagement_rate_exposure",
        "post_median",
        ["facebook"],
    )
    assert (item["baseline"], item["target"], item["due"]) == (0.05, 0.06, "2026-11-30")
    assert item["owner"] == "Amy" and item["status"] == "open"


@pytest.mark.slow
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
        assert set(a["follow_up"]) >= {"kpi", "statistic", "scope", "target", "due"}
    assert all(set(r) == {"kind", "values", "text"} for r in data["risks"])
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


def test_a_kpi_a_platform_stopped_reporting_is_a_data_gap_not_a_mover():
    # Facebook reported 1,667 link clicks in September and none in October, though its other
    # numbers are there: the file lacks them (or gives 0 on every post). X reports none ever.
    rows = [
        _row("link_clicks", 0, 1667, "down_beyond"),
        _row("link_clicks", 0, 1667, "down_beyond", platform="facebook"),
        _row("reach", 900, 1000, "within", platform="facebook"),
        _row("engagements", 60, 45, "up_beyond"),
    ]
    s = _summarize(report=rows)
    assert [m.kpi for m in s.movers] == ["engagements"]  # link clicks explained by nothing
    assert [(r.kind, r.values["platform"], r.values["kpis"]) for r in s.risks] == [
        ("gap", "facebook", ["link_clicks"])
    ]
    said = narrative.say(s, "en").risks[0]
    assert said.startswith("Facebook reports no link clicks (1,667 last month) this month")
    assert (
        narrative.say(s, "zh-TW")
        .risks[0]
        .startswith("Facebook 本月沒有回報連結點擊次數（上月 1,667）")
    )
    # a platform whose data stops early is its own risk; a KPI that fell with it is no mover
    s = _summarize(
        report=rows[2:] + [_row("reach", 900, 1000, "down_beyond")],
        freshness={"facebook": "2026-10-20"},
    )
    assert s.movers[0].kpi == "engagements" and [m.kpi for m in s.movers] == ["engagements"]
    assert [(r.kind, r.values["kpis"]) for r in s.risks] == [("stale", ["reach"])]
    assert "reach fell with it" in narrative.say(s, "en").risks[0]


def _rate_row(platforms):
    """The engagement rate by reach, 5% -> 6%: engagements 45 -> 60 on reach 900 -> 1,000
    of ``platforms``."""
    return _row(
        "engagement_rate",
        0.06,
        0.05,
        "up_beyond",
        "percent",
        n=60,
        d=1000,
        pn=45,
        pd=900,
        platforms=platforms,
    )


def test_a_number_over_fewer_platforms_than_the_page_names_them():
    # the page is about Facebook and LinkedIn; only Facebook reports a follower total
    rows = [
        _row("followers", 500, 1000, "down_beyond", platforms=("facebook",)),
        _rate_row(("facebook",)),
    ]
    s = _summarize(report=rows, scope=("facebook", "linkedin"))
    followers = next(m for m in s.movers if m.kpi == "followers")
    assert followers.scope == ("facebook",)
    en = narrative.say(s, "en").movers
    assert en[1].startswith("Followers on Facebook fell 50.0% to 500")
    # the rate's parts cover the platforms that report reach: named, as the page has more
    assert (
        "; on the platforms that report reach (Facebook), engagements +33.3%, reach +11.1%."
        in en[0]
    )
    zh = narrative.say(s, "zh-TW").movers
    assert (
        zh[1].startswith("Facebook 的粉絲數減少 50.0%")
        and "在有提供觸及人數的平台（Facebook）" in zh[0]
    )
    # on a Facebook-only page nothing is narrower than the page: no platform is named
    plain = narrative.say(_summarize(report=rows), "en").movers
    assert plain[1].startswith("Followers fell 50.0%") and "platforms that report" not in plain[0]


def test_the_summary_records_every_figure_with_its_scope():
    rows = [_rate_row(("facebook", "instagram"))]
    s = _summarize(report=rows, scope=("facebook", "instagram", "tiktok"))
    got = {(f.kpi, f.scope.platforms, f.scope.period, f.measure): f.value for f in s.figures}
    assert got[("engagement_rate_reach", ("facebook", "instagram"), "2026-10", "value")] == 0.06
    assert got[("engagement_rate_reach", ("facebook", "instagram"), "2026-09", "value")] == 0.05
    # the driver's parts: engagements 45 -> 60 and reach 900 -> 1000 on those two platforms
    assert got[("engagements", ("facebook", "instagram"), "2026-10", "relative_change")] == (
        pytest.approx(15 / 45)
    )
    assert got[("reach", ("facebook", "instagram"), "2026-10", "relative_change")] == (
        pytest.approx(100 / 900)
    )
