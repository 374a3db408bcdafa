"""LINE Official Account KPIs and rules, worked out by hand from a month of tiny daily rows
(imported through the landing files a pull writes), the block-spike rule's calibration, and
the sample's broadcast that makes friends block the account."""

from datetime import UTC, date, datetime

import numpy as np
import pandas as pd
import pytest

from socialkpi import store
from socialkpi.connectors import landing
from socialkpi.ingest import Options, import_paths
from socialkpi.metrics import kpi
from socialkpi.metrics import line as rules

PULLED = datetime(2026, 11, 2, 2, 0, tzinfo=UTC)


def _friends(day: date, friends: int, blocks: int) -> dict:
    return landing.envelope(
        "line",
        "friends",
        "@acme",
        "v2/bot/insight/followers",
        {"date": f"{day:%Y%m%d}"},
        PULLED,
        {
            "status": "ready",
            "followers": friends,
            "targetedReaches": friends // 2,
            "blocks": blocks,
        },
    )


def _delivery(day: date, counts: dict) -> dict:
    return landing.envelope(
        "line",
        "deliveries",
        "@acme",
        "v2/bot/insight/message/delivery",
        {"date": f"{day:%Y%m%d}"},
        PULLED,
        {"status": "ready", **counts},
    )


def _message(request_id: str, sent: datetime, delivered, opened, clicked) -> dict:
    overview = {
        "requestId": request_id,
        "timestamp": int(sent.timestamp()),
        "delivered": delivered,
        "uniqueImpression": opened,
        "uniqueClick": clicked,
        "uniqueMediaPlayed": None,
        "uniqueMediaPlayed100Percent": None,
    }
    return landing.envelope(
        "line",
        "message_stats",
        "@acme",
        "v2/bot/insight/message/event",
        {"requestId": request_id},
        PULLED,
        {"overview": overview, "messages": [], "clicks": []},
    )


@pytest.fixture
def month(con, tmp_path):
    """October 2026 of a small account: 1,000 friends and 100 blocks on Sep 30, then 2 adds
    and 1 block a day, and 40 more blocks on Oct 15; four broadcasts, one withheld, two on
    either side of a UTC+9 month boundary."""
    calls = [_friends(date(2026, 9, 30), 1000, 100)]
    for n in range(1, 32):
        day = date(2026, 10, n)
        calls.append(_friends(day, 1000 + 2 * n, 100 + n + (40 if n >= 15 else 0)))
    calls += [
        _delivery(date(2026, 9, 30), {"broadcast": 999}),
        _delivery(date(2026, 10, 1), {"broadcast": 900, "chat": 10, "apiReply": 5}),
        _delivery(date(2026, 10, 15), {"targeting": 300, "autoResponse": 20}),
        # 15:30 UTC on Sep 30 is Oct 1, 00:30 in UTC+9: an October send for LINE
        _message("m1", datetime(2026, 9, 30, 15, 30, tzinfo=UTC), 800, 400, 80),
        _message("m2", datetime(2026, 10, 15, 3, 0, tzinfo=UTC), 850, None, 30),  # withheld
        _message("m3", datetime(2026, 9, 20, 3, 0, tzinfo=UTC), 700, 350, 70),  # September
        # 16:00 UTC on Oct 31 is Nov 1 in UTC+9: a November send
        _message("m4", datetime(2026, 10, 31, 16, 0, tzinfo=UTC), 500, 300, 60),
    ]
    folder = tmp_path / "landing"
    folder.mkdir()
    for name, data in landing.files(calls).items():
        (folder / name).write_bytes(data)
    store.set_brand(con, "acme", "Asia/Taipei")
    results = import_paths(con, [folder], Options(brand="acme"))
    assert all(r.status != "failed" for r in results), [r.error for r in results]
    return con


def _values(con) -> dict[str, float]:
    report = kpi.kpi_report(con, "acme", "2026-10", timezone="Asia/Taipei")
    rows = report[(report["platform"] == "line") & report["kpi"].str.startswith("line_")]
    return dict(zip(rows["kpi"], rows["value"], strict=True))


def test_friends_and_blocks_over_a_month_of_daily_rows(month):
    v = _values(month)
    # Oct 31: friends 1000 + 62 = 1062, blocks 100 + 31 + 40 = 171; Sep 30: 1000 and 100
    assert v["line_friends"] == 1062
    assert v["line_blocks"] == 171
    assert v["line_block_rate"] == pytest.approx(171 / 1062)
    assert v["line_new_blocks"] == 71
    assert v["line_period_block_rate"] == pytest.approx(71 / 900)  # reachable on Sep 30
    assert v["line_friend_adds"] == 62
    assert v["line_effective_friends"] == 1062 - 171
    assert v["line_net_friends"] == (1062 - 171) - (1000 - 100)  # -9: blocks beat adds
    assert v["line_targeted_reach"] == 531


def test_messages_and_what_the_plan_counts(month):
    v = _values(month)
    assert v["line_messages_sent"] == 900 + 10 + 5 + 300 + 20  # Sep 30's 999 is September's
    assert v["line_messages_charged"] == 900 + 300  # broadcast and targeting; not chat, replies
    q = rules.Quota(int(v["line_messages_charged"]), 1000, 0.2)
    assert (q.extra, q.cost) == (200, 40.0)
    assert rules.Quota(1200, 1000, None).cost != rules.Quota(1200, 1000, None).cost  # NaN
    assert rules.Quota(900, 1000, 0.2).cost == 0.0


def test_open_and_click_rates_count_only_what_line_gives(month):
    v = _values(month)
    # October's LINE sends: m1 (Oct 1 in UTC+9) and m2 (its opens withheld); m3 is
    # September's, m4 November's in UTC+9 although Oct 31 in Taipei
    assert v["line_open_rate"] == pytest.approx(400 / 800)  # m2 has no opens: left out
    assert v["line_click_rate"] == pytest.approx((80 + 30) / (800 + 850))
    assert v["line_click_to_open"] == pytest.approx(80 / 400)
    assert "line_video_completion" not in v or np.isnan(v["line_video_completion"])


def test_blocks_after_a_send_against_the_earlier_sends():
    days = pd.date_range("2026-09-01", "2026-10-31")
    blocks = pd.Series(1, index=days).cumsum() + 100  # one block a day
    blocks[blocks.index >= "2026-10-29"] += 30
    daily = pd.DataFrame({"date": days, "blocks": blocks.to_numpy()})
    thursdays = [d for d in days if d.day_of_week == 3]
    sends = pd.DataFrame({"date": thursdays, "send_type": "api_broadcast", "messages": 500})
    out = rules.blocks_after_sends(daily, sends).set_index("date")
    # each send: the blocks on its day and the next, less the day before's total = 2
    assert (out.loc[out.index < "2026-10-29", "new_blocks"] == 2).all()
    assert out.loc["2026-10-29", "new_blocks"] == 32 and out.loc["2026-10-29", "spike"]
    assert out["spike"].sum() == 1
    assert not out.iloc[:3]["spike"].any() and out.iloc[:3]["limit"].isna().all()  # too few before
    # under min_blocks is never a spike, however unusual
    quiet = rules.blocks_after_sends(daily, sends, rules.BlockRules(min_blocks=40))
    assert not quiet["spike"].any()


def test_block_spikes_are_rare_without_one_and_found_with_one():
    """Calibration: 300 accounts of 12 weekly sends with Poisson blocks after each (mean 12):
    without a change, hardly any send is called a spike; when the last send's blocks are
    five times the usual, nearly every one is found."""
    rng = np.random.default_rng(37)
    false, found = 0, 0
    for _ in range(300):
        for lift, counter in ((1.0, "false"), (5.0, "found")):
            days = pd.date_range("2026-08-06", periods=12 * 7)
            added = rng.poisson(0.3, len(days)).astype(float)
            sends = days[::7]
            for k, day in enumerate(sends):
                mean = 12 * (lift if k == len(sends) - 1 else 1.0)
                added[days.get_loc(day)] += rng.poisson(mean)
            daily = pd.DataFrame({"date": days, "blocks": 100 + np.cumsum(added)})
            frame = pd.DataFrame({"date": sends, "send_type": "broadcast", "messages": 900})
            out = rules.blocks_after_sends(daily, frame)
            if counter == "false":
                false += int(out["spike"].sum())
            else:
                found += int(out["spike"].iloc[-1])
    assert false / (300 * 9) < 0.01  # sends 4-12 can be judged
    assert found / 300 > 0.95


@pytest.mark.slow
def test_the_samples_block_spike_is_a_risk_in_the_summary(sample_db):
    from socialkpi.reads import summary as summaries
    from socialkpi.words import narrative

    con = store.open_store(sample_db[0], read_only=True)
    try:
        s = summaries.executive_summary(con, "lumi_tea", "2026-10")
    finally:
        con.close()
    spikes = [r for r in s.risks if r.kind == "line_blocks"]
    assert len(spikes) == 1 and spikes[0].values["day"] == date(2026, 10, 15)
    assert spikes[0].values["title"] == "雙 11 搶先購：三重優惠一次看"
    assert spikes[0].values["blocks"] > 5 * spikes[0].values["usual"]
    said = " ".join(narrative.say(s, "zh-TW").risks)
    assert "封鎖 LINE 官方帳號" in said and "雙 11 搶先購" in said


def test_a_line_goal_is_paced_on_lines_own_numbers(month, tmp_path):
    from socialkpi import reads

    goals = tmp_path / "acme.yaml"
    goals.write_text(
        "brand: acme\ngoals:\n  - id: few-blocks\n    objective: engagement\n"
        "    kpi: line_period_block_rate\n    target: {value: 0.02}\n    start: 2026-10-01\n"
        "    end: 2026-12-31\n    owner: Amy\n    platforms: [line]\n    priority: primary\n",
        "utf-8",
    )
    status = reads.goal_status(month, "acme", "2026-10", reads.load_goals_or_none(goals))
    row = status.iloc[0]
    assert row["kpi"] == "line_period_block_rate" and row["platforms"] == ["line"]
    assert row["latest"] == pytest.approx(71 / 900)  # 7.9% against a ceiling of 2%
    assert row["status"] == "off-track"


def test_line_items_of_the_plan_are_matched_to_the_days_sends(month, tmp_path):
    from socialkpi import reads

    plan = tmp_path / "content_plan.csv"
    plan.write_text(
        "planned_id,planned_for,platform,content_type,topic,status,campaign,owner\n"
        "L1,2026-10-01,line,image,新品,published,false,Amy\n"  # sent that day: on time
        "L2,2026-10-13,line,image,新品,published,false,Amy\n"  # the Oct 15 send: 2 days late
        "L3,2026-10-25,line,image,新品,planned,false,Amy\n",  # nothing went out: missed
        "utf-8",
    )
    (result,) = import_paths(month, [plan], Options(brand="acme"))
    assert result.status != "failed", result.error
    counts = reads.plan_adherence(month, "acme", "2026-10").set_index("platform").loc["line"]
    assert (counts.planned, counts.on_time, counts.late, counts.missed) == (3, 1, 1, 1)
    assert (counts.published, counts.unplanned) == (2, 0)  # Sep 30's send is September's
