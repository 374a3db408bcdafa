"""The bundled sample: regenerating it gives the committed bytes, and it imports cleanly."""

from pathlib import Path

import pytest

from socialkpi import store
from socialkpi.ingest import import_paths
from socialkpi.sample import build_files

SAMPLE = Path(__file__).parent.parent / "data" / "sample"


def test_regenerating_gives_identical_bytes():
    files = build_files()
    committed = {p.relative_to(SAMPLE).as_posix() for p in SAMPLE.rglob("*") if p.is_file()}
    assert committed == set(files)
    changed = [rel for rel, data in files.items() if (SAMPLE / rel).read_bytes() != data]
    assert changed == []
    assert sum(len(d) for d in files.values()) < 5_000_000


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    con = store.open_store(tmp_path_factory.mktemp("sample") / "s.duckdb")
    results = import_paths(con, [SAMPLE])
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
        frozenset({"facebook", "instagram", "youtube", "tiktok"}),
        frozenset({"linkedin", "x", "facebook"}),
    }
    daily = store.read(con, "account_daily")
    assert daily["date"].min() <= store_ts("2024-11-01") and daily["date"].max() >= store_ts(
        "2026-10-31"
    )
    reach = posts.loc[posts.platform == "instagram", "reach"]
    assert reach.mean() > 1.2 * reach.median()  # heavy right tail


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
