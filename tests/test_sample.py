"""The bundled sample: regenerating it gives the committed bytes, and it imports cleanly."""

from pathlib import Path

import pandas as pd
import pytest

from socialkpi import store
from socialkpi.ingest import import_paths
from socialkpi.sample import build_files

SAMPLE = Path(__file__).parent.parent / "data" / "sample"


@pytest.mark.slow
def test_regenerating_gives_identical_bytes():
    files = build_files()
    committed = {p.relative_to(SAMPLE).as_posix() for p in SAMPLE.rglob("*") if p.is_file()}
    assert committed == set(files)
    changed = [rel for rel, data in files.items() if (SAMPLE / rel).read_bytes() != data]
    assert changed == []
    assert sum(len(d) for d in files.values()) < 5_000_000


@pytest.fixture(scope="module")
def imported(sample_db):
    path, results = sample_db
    con = store.open_store(path)
    yield con, results
    con.close()


def test_sample_imports_with_zero_errors_and_reimport_changes_nothing(imported):
    con, results = imported
    assert [r.error for r in results if r.status == "failed"] == []
    counts = store.counts(con)
    assert set(counts["brand"]) == {"lumi_tea", "northwind_cloud"}
    again = import_paths(con, [SAMPLE])
    assert {r.status for r in again} == {"skipped"}
    assert store.counts(con).equals(counts)


def test_sample_covers_two_years_and_every_platform(imported):
    con, _ = imported
    posts = store.read(con, "posts", latest=True)
    assert set(posts.groupby("brand")["platform"].unique().map(frozenset)) == {
        frozenset({"facebook", "instagram", "youtube", "tiktok", "threads"}),
        frozenset({"linkedin", "x", "facebook", "threads"}),
    }
    daily = store.read(con, "account_daily")
    assert daily["date"].min() <= store_ts("2024-11-01") and daily["date"].max() >= store_ts(
        "2026-10-31"
    )
    reach = posts.loc[posts.platform == "instagram", "reach"]
    assert reach.mean() > 1.2 * reach.median()  # heavy right tail


def test_followers_arrive_on_workdays_for_b2b_and_weekends_for_b2c(imported):
    con, _ = imported
    daily = store.read(con, "account_daily")
    daily = daily[daily["follower_gains"].notna()]
    weekend = pd.to_datetime(daily["date"]).dt.day_of_week >= 5
    gains = daily.groupby([daily["brand"], weekend])["follower_gains"].mean().unstack()
    assert gains.loc["northwind_cloud", True] < 0.6 * gains.loc["northwind_cloud", False]
    assert gains.loc["lumi_tea", True] > gains.loc["lumi_tea", False]


def test_sample_has_a_crisis_of_negative_comments_with_slow_replies(imported):
    con, _ = imported
    comments = store.read(con, "comments", brand="lumi_tea")
    customer = comments[~comments.is_brand_reply.astype(bool)]
    day = customer.created_at.dt.tz_convert("Asia/Taipei").dt.date.astype(str)
    per_day = day.value_counts()
    assert per_day.get("2026-09-14", 0) > 5 * per_day.median()
    waits = (customer.replied_at - customer.created_at).dt.total_seconds() / 3600
    crisis = day.between("2026-09-14", "2026-09-17")
    assert waits[crisis].median() > 4 * waits[~crisis].median()


def store_ts(text):
    import pandas as pd

    return pd.Timestamp(text)


def test_kpis_match_an_independent_sql_query(imported):
    from socialkpi.metrics import kpi

    con, _ = imported
    report = kpi.kpi_report(con, "lumi_tea", "2026-10").set_index(["platform", "kpi"])["value"]
    posts, reach, engagements = con.execute(
        """
        WITH latest AS (
            SELECT * FROM posts WHERE brand = 'lumi_tea' AND platform = 'instagram'
            QUALIFY row_number() OVER (PARTITION BY post_id ORDER BY snapshot_date DESC) = 1)
        SELECT count(*), sum(reach),
               sum(coalesce(reactions, 0) + coalesce(comments, 0) + coalesce(shares, 0) + coalesce(saves, 0))
        FROM latest
        WHERE (published_at AT TIME ZONE 'Asia/Taipei') >= TIMESTAMP '2026-10-01'
          AND (published_at AT TIME ZONE 'Asia/Taipei') < TIMESTAMP '2026-11-01'
        """
    ).fetchall()[0]
    assert report[("instagram", "posts_published")] == posts
    assert report[("instagram", "reach")] == reach
    assert report[("instagram", "engagement_rate_reach")] == engagements / reach
    (sessions,) = con.execute(
        "SELECT sum(sessions) FROM web_sessions WHERE brand = 'lumi_tea' AND source_medium LIKE '%instagram%'"
        " AND date >= DATE '2026-10-01' AND date < DATE '2026-11-01'"
    ).fetchall()[0]
    assert report[("instagram", "social_sessions")] == sessions
    (followers,) = con.execute(
        "SELECT followers FROM account_daily WHERE brand = 'lumi_tea' AND platform = 'tiktok'"
        " AND date = DATE '2026-10-31'"
    ).fetchall()[0]
    assert report[("tiktok", "followers")] == followers


def test_the_sample_crisis_is_found_with_its_start_and_peak(imported):
    import pandas as pd

    from socialkpi.metrics import listening

    con, _ = imported
    comments = store.read(con, "comments", brand="lumi_tea")
    plan = store.read(con, "content_plan", brand="lumi_tea")
    spikes = listening.detect_spikes(
        listening.hourly(comments), campaign_days=listening.campaign_days(plan)
    )
    found = listening.episodes(comments, spikes)
    crisis = found[found["start"].dt.tz_convert("Asia/Taipei").dt.date.astype(str) == "2026-09-14"]
    assert len(crisis) == 1 and len(found) == 1  # the generator made one crisis and no other spike
    episode = crisis.iloc[0]
    # the generator starts it at 09:00 Taipei; the first busy hour comes within three hours
    start = episode["start"].tz_convert("Asia/Taipei")
    assert (
        pd.Timestamp("2026-09-14 09:00")
        <= start.tz_localize(None)
        <= pd.Timestamp("2026-09-14 12:00")
    )
    (peak_hour,) = con.execute(
        """
        SELECT epoch_ms(date_trunc('hour', created_at)) FROM comments
        WHERE brand = 'lumi_tea' AND NOT is_brand_reply
          AND created_at >= TIMESTAMPTZ '2026-09-13 00:00:00+00' AND created_at < TIMESTAMPTZ '2026-09-18 00:00:00+00'
        GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1
        """
    ).fetchall()[0]
    assert episode["peak"] == pd.Timestamp(peak_hour, unit="ms", tz="UTC")
    assert episode["negative_share"] > 0.5 and episode["median_response_h"] > 12  # slow replies


def test_the_sample_plan_is_partly_kept_late_missed_and_cancelled(imported):
    from socialkpi.steps.calendar import reader as calendar_reader

    con, _ = imported
    for brand in ("lumi_tea", "northwind_cloud"):
        cal = calendar_reader.content_calendar(con, brand, "2026-10")
        counts = cal.counts().iloc[0]
        for outcome in ("on_time", "late", "missed", "cancelled", "unplanned"):
            assert counts[outcome] > 0, (brand, outcome)
        assert set(cal.mix()["pillar"]) <= set(cal.pillars) | {""}
        assert len(cal.pillars) == 4 and len(cal.upcoming) > 0 and len(cal.draft) > 0
