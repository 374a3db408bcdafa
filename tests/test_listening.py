"""Hand-built comment streams with known spikes, reply times and opening hours."""

import json
from datetime import date, time

import duckdb
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from socialkpi import store
from socialkpi.cli import main
from socialkpi.config.hours import BusinessHours, parse_business_hours
from socialkpi.metrics import listening
from socialkpi.metrics.listening import SpikeRules


def _stream(per_hour: dict, negative_every: int = 0, start="2026-10-01", hours=24 * 12):
    """``per_hour`` maps an hour offset to a count; other hours get 2 comments."""
    rows, n = [], 0
    for h in range(hours):
        for _ in range(per_hour.get(h, 2)):
            n += 1
            negative = negative_every and n % negative_every == 0
            rows.append(
                (
                    f"c{n}",
                    pd.Timestamp(start, tz="UTC") + pd.Timedelta(hours=h, minutes=n % 60),
                    "negative" if negative else "positive",
                )
            )
    frame = pd.DataFrame(rows, columns=["comment_id", "created_at", "sentiment_label"])
    return frame.assign(
        platform="facebook", post_id="p", is_brand_reply=False, parent_id=None, text="x"
    )


SPIKE = {h: 25 for h in range(24 * 10 + 5, 24 * 10 + 8)}  # day 11, 05:00-07:59 UTC


def test_volume_spike_becomes_one_episode():
    comments = _stream(SPIKE)
    alerts = listening.detect_spikes(listening.hourly(comments), SpikeRules(k=3))
    assert alerts["volume_alert"].all() and not alerts["negative_alert"].any()
    (episode,) = listening.episodes(comments, alerts).to_dict("records")
    assert episode["start"] == pd.Timestamp("2026-10-11 05:00", tz="UTC")
    assert episode["end"] == pd.Timestamp("2026-10-11 07:00", tz="UTC")
    assert episode["peak"] in {pd.Timestamp(f"2026-10-11 0{h}:00", tz="UTC") for h in (5, 6, 7)}
    assert episode["volume"] == 75


def test_bursts_far_apart_are_separate_episodes():
    """The reproduction: a second burst 46 days after the first is a new episode, not the
    same one stretched over six weeks (a gap of 6 hours is 6 hours, whatever the index unit)."""
    later = {h + 24 * 46: n for h, n in SPIKE.items()}
    comments = _stream({**SPIKE, **later}, hours=24 * 58)
    alerts = listening.detect_spikes(listening.hourly(comments), SpikeRules(k=3))
    first, second = listening.episodes(comments, alerts).to_dict("records")
    assert (first["start"], first["end"], first["volume"]) == (
        pd.Timestamp("2026-10-11 05:00", tz="UTC"),
        pd.Timestamp("2026-10-11 07:00", tz="UTC"),
        75,
    )
    assert second["start"] == pd.Timestamp("2026-11-26 05:00", tz="UTC")
    assert second["volume"] == 75 and not first["open"]


def test_alerts_within_the_gap_are_one_episode():
    """Two bursts 5 hours apart (gap 6 h) stay one episode."""
    close = {h: 25 for h in [*range(24 * 10 + 5, 24 * 10 + 8), *range(24 * 10 + 12, 24 * 10 + 14)]}
    comments = _stream(close)
    alerts = listening.detect_spikes(listening.hourly(comments), SpikeRules(k=3))
    assert len(listening.episodes(comments, alerts)) == 1


def test_steady_stream_never_alerts():
    assert listening.detect_spikes(listening.hourly(_stream({}))).empty


def test_a_campaign_day_does_not_alert():
    comments = _stream(SPIKE)
    campaign = {date(2026, 10, 11)}  # local day of the burst in Asia/Taipei (13:00-15:59)
    assert listening.detect_spikes(listening.hourly(comments), campaign_days=campaign).empty


def test_negative_share_spike_at_steady_volume():
    base = _stream({}, negative_every=10)
    late = base["created_at"] >= pd.Timestamp("2026-10-11", tz="UTC")
    base.loc[late, "sentiment_label"] = np.where(
        np.arange(late.sum()) % 5 < 3, "negative", "positive"
    )
    alerts = listening.detect_spikes(listening.hourly(base), SpikeRules(k=3))
    assert alerts["negative_alert"].any() and not alerts["volume_alert"].any()


def test_campaign_days_come_from_the_content_plan():
    plan = pd.DataFrame(
        {"planned_for": pd.to_datetime(["2026-07-01", "2026-07-02"]), "campaign": [True, False]}
    )
    assert listening.campaign_days(plan) == {date(2026, 7, 1)}


def _thread():
    t = lambda s: pd.Timestamp(s, tz="Asia/Taipei").tz_convert("UTC")  # noqa: E731
    rows = [
        # customer comment 23:30, brand reply 00:45 the next day: 1.25 h across midnight
        ("c1", t("2026-10-01 23:30"), False, None),
        ("r1", t("2026-10-02 00:45"), True, "c1"),
        ("r1b", t("2026-10-02 02:00"), True, "c1"),  # a second reply does not count
        # Friday 17:30 -> Monday 09:30: 64 h of clock time, 1 business hour
        ("c2", t("2026-10-02 17:30"), False, None),
        ("r2", t("2026-10-05 09:30"), True, "c2"),
        # unanswered
        ("c3", t("2026-10-03 10:00"), False, None),
        # the brand's own post comment and a reply to it: not customer comments
        ("b1", t("2026-10-03 11:00"), True, None),
        ("r3", t("2026-10-03 11:05"), True, "b1"),
        # reply stamped before the comment (clock skew): ignored
        ("c4", t("2026-10-06 08:00"), False, None),
        ("r4", t("2026-10-06 07:59"), True, "c4"),
    ]
    frame = pd.DataFrame(rows, columns=["comment_id", "created_at", "is_brand_reply", "parent_id"])
    return frame.assign(platform="facebook", post_id="p", sentiment_label="neutral", text="x")


def test_first_response_times_across_midnight_and_weekend():
    times = listening.response_times(_thread()).set_index("comment_id")["response_h"]
    assert times["c1"] == pytest.approx(1.25)
    assert times["c2"] == pytest.approx(64.0)
    assert np.isnan(times["c3"]) and np.isnan(times["c4"])
    assert "b1" not in times.index


def test_business_hours():
    hours = BusinessHours(time(9), time(18))
    times = listening.response_times(_thread(), hours).set_index("comment_id")["response_h"]
    assert times["c2"] == pytest.approx(1.0)  # Friday 17:30-18:00 + Monday 09:00-09:30
    assert times["c1"] == pytest.approx(0.0)  # both outside opening hours (Thu night)
    stamps = pd.Series(
        pd.to_datetime(["2026-10-03 10:00", "2026-10-05 10:00"]).tz_localize("Asia/Taipei")
    )
    saturday_to_monday = np.diff(hours.seconds_until(stamps))[0] / 3600
    assert saturday_to_monday == pytest.approx(1.0)


def test_responsiveness_summary():
    r = listening.responsiveness(_thread()).set_index("platform").loc["all"]
    assert r["comments"] == 4
    assert r["response_rate"] == pytest.approx(2 / 4)
    assert r["median_h"] == pytest.approx((1.25 + 64) / 2)
    assert r["within_1h"] == 0 and r["within_24h"] == pytest.approx(1 / 4)


def test_alerts_cli_exit_code_three_while_open(tmp_path, capsys):
    db = tmp_path / "a.duckdb"
    con = store.open_store(db)
    store.set_brand(con, "acme", "Asia/Taipei")
    last_day = {
        h: 25 for h in range(24 * 11 + 20, 24 * 11 + 23)
    }  # the burst ends an hour before the data
    store.upsert(con, "comments", _stream(last_day).assign(brand="acme", text="<b>bad</b>"))
    con.close()
    assert main(["alerts", "--brand", "acme", "--db", str(db)]) == 3
    text = capsys.readouterr().out
    assert "[OPEN] acme" in text
    assert "no brand reply yet" in text and "nan" not in text  # nobody answered
    assert (
        main(["alerts", "--all", "--db", str(db), "--format", "json", "--since", "2026-10-12"]) == 3
    )
    (episode,) = json.loads(capsys.readouterr().out)
    assert episode["open"] is True and episode["volume"] == 75


def test_a_brand_that_cannot_be_checked_does_not_hide_the_others(tmp_path, capsys):
    """A store written before settings were checked holds a time zone no one knows."""
    db = tmp_path / "a.duckdb"
    con = store.open_store(db)
    store.set_brand(con, "acme", "Asia/Taipei")
    store.set_brand(con, "aardvark", "Mars/Olympus")
    burst = {h: 25 for h in range(24 * 11 + 20, 24 * 11 + 23)}
    store.upsert(con, "comments", _stream(burst).assign(brand="acme"))
    store.upsert(con, "comments", _stream({}).assign(brand="aardvark"))
    con.close()
    assert main(["alerts", "--all", "--db", str(db)]) == 3  # acme's crisis is still news
    out = capsys.readouterr()
    assert "[OPEN] acme" in out.out
    assert "error: aardvark: could not be checked" in out.err and "Traceback" not in out.err
    assert main(["alerts", "--brand", "aardvark", "--db", str(db)]) == 1


def test_alerts_k_defaults_to_the_rules_and_must_be_positive(tmp_path, capsys):
    """A window of 72 comments against a steady 48 a day: above 48 + 3 x sqrt(48) = 68.8,
    below 48 + 4 x sqrt(48) = 75.7. Only ``--k 3`` calls it a crisis; the default is 4."""
    db = tmp_path / "a.duckdb"
    con = store.open_store(db)
    store.set_brand(con, "acme", "Asia/Taipei")
    bump = {h: 10 for h in range(24 * 11 + 20, 24 * 11 + 23)}
    store.upsert(con, "comments", _stream(bump).assign(brand="acme"))
    con.close()
    assert listening.SpikeRules().k == 4
    assert main(["alerts", "--brand", "acme", "--db", str(db)]) == 0
    assert main(["alerts", "--brand", "acme", "--db", str(db), "--k", "3"]) == 3
    for bad in ("-1", "0", "nan"):
        with pytest.raises(SystemExit):
            main(["alerts", "--brand", "acme", "--db", str(db), "--k", bad])
        assert "expected a number above 0" in capsys.readouterr().err


def test_business_hours_from_brand_settings():
    hours = parse_business_hours("Sat-Mon 10:00-22:00", "Asia/Taipei")
    assert hours.weekdays == (5, 6, 0) and hours.start == time(10) and hours.end == time(22)
    assert parse_business_hours("24/7") is None
    with pytest.raises(ValueError, match="Mon-Fri 09:00-18:00"):
        parse_business_hours("weekdays 9 to 6")


def test_the_crisis_section_follows_the_platform_filter(con):
    from socialkpi import reads
    from socialkpi.presentation.page import open_page
    from socialkpi.steps.crisis import page as crisis_page

    store.set_brand(con, "acme", "UTC")
    spike = _stream(SPIKE).assign(brand="acme")  # 75 comments in 3 hours on facebook
    quiet = _stream({}).assign(
        brand="acme", platform="x", comment_id=lambda f: "x" + f["comment_id"]
    )
    store.upsert(con, "comments", pd.concat([spike, quiet], ignore_index=True))
    everywhere, daily = reads.crisis(con, "acme", "2026-10")
    on_x, daily_x = reads.crisis(con, "acme", "2026-10", ["x"])
    assert len(everywhere) == 1 and everywhere["volume"].iloc[0] == 75 + 3 * 2  # x adds 2 an hour
    sentence = crisis_page.summary(open_page(con, "acme", "2026-10", "en"), on_x, daily_x)
    assert on_x.empty and "No crisis signal" in sentence.data
    # every day of October: 12 days of 48 comments on x, then none (0, not left out)
    assert daily_x["comments"].tolist() == [48] * 12 + [0] * 19
    assert daily_x["day"].iloc[-1] == date(2026, 10, 31)
    # on facebook the spike day has 3 x 25 instead of 3 x 2 more
    assert daily.set_index("day").loc[date(2026, 10, 11), "comments"] == 48 + 48 + 3 * (25 - 2)


@settings(max_examples=30, deadline=None)
@given(
    first=st.integers(0, 6),
    last=st.integers(0, 6),
    open_h=st.integers(0, 11),
    hours=st.integers(1, 12),
    zone=st.sampled_from(["Asia/Taipei", "Europe/London", "America/New_York"]),
    offsets=st.lists(st.integers(0, 400 * 86400), min_size=1, max_size=20),
)
def test_business_seconds_in_sql_match_the_vectorised_ones(
    first, last, open_h, hours, zone, offsets
):
    """The store's SQL and pandas count the same business seconds, across DST changes."""
    days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    spec = f"{days[first]}-{days[last]} {open_h:02d}:00-{open_h + hours:02d}:00"
    hours_ = parse_business_hours(spec, zone)
    stamps = pd.Series(pd.Timestamp("2026-01-01", tz="UTC") + pd.to_timedelta(offsets, unit="s"))
    frame = pd.DataFrame({"t": stamps})
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    con.register("frame", frame)
    got = con.execute(f"SELECT {hours_.sql_seconds('t')} AS s FROM frame").df()["s"]
    assert got.to_numpy() == pytest.approx(hours_.seconds_until(stamps))
