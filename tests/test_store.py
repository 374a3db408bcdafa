import duckdb
import pandas as pd
import pytest

from socialkpi import store


def _daily(**cols):
    base = {"brand": ["a", "a"], "platform": ["x", "x"], "date": ["2026-01-01", "2026-01-02"]}
    return pd.DataFrame({**base, **cols})


def test_upsert_is_idempotent(con):
    frame = _daily(followers=[10, 12])
    store.upsert(con, "account_daily", frame)
    store.upsert(con, "account_daily", frame)
    assert store.read(con, "account_daily")["followers"].tolist() == [10, 12]


def test_upsert_merges_columns_and_nulls_never_erase(con):
    store.upsert(con, "account_daily", _daily(followers=[10, 12]))
    store.upsert(con, "account_daily", _daily(views=[100, None]))
    store.upsert(con, "account_daily", _daily(followers=[None, 13]))
    got = store.read(con, "account_daily")
    assert got["followers"].tolist() == [10, 13]
    assert got["views"].tolist()[0] == 100 and pd.isna(got["views"].iloc[1])


def test_a_brands_first_rows_are_inserted_and_later_ones_merged(con):
    """A brand with no rows yet takes the plain insert; its rows then merge as before, and
    another brand's first rows leave them alone."""
    store.upsert(con, "account_daily", _daily(followers=[10, 12]))
    other = _daily(followers=[7, 8]).assign(brand="b")
    store.upsert(con, "account_daily", other)
    store.upsert(con, "account_daily", _daily(followers=[None, 13], views=[5, 6]))
    got = store.read(con, "account_daily")
    assert got["brand"].tolist() == ["a", "a", "b", "b"]
    assert got["followers"].tolist() == [10, 13, 7, 8]
    assert got["views"].fillna(-1).tolist() == [5, 6, -1, -1]


def test_a_frame_with_a_key_twice_is_refused(con):
    twice = _daily(followers=[1, 2]).assign(date="2026-01-01")
    with pytest.raises(ValueError, match="share a key"):
        store.upsert(con, "account_daily", twice)
    assert store.read(con, "account_daily").empty


def test_transaction_rolls_back_everything(con):
    with pytest.raises(RuntimeError), store.transaction(con):
        store.upsert(con, "account_daily", _daily(followers=[1, 2]))
        raise RuntimeError("boom")
    assert store.read(con, "account_daily").empty


def test_read_slices_by_brand_platform_period_and_latest_snapshot(con):
    posts = pd.DataFrame(
        {
            "brand": ["a", "a", "a", "b"],
            "platform": ["facebook", "facebook", "instagram", "facebook"],
            "post_id": ["1", "1", "2", "3"],
            "snapshot_date": ["2026-01-31", "2026-02-28", "2026-01-31", "2026-01-31"],
            "published_at": pd.to_datetime(
                ["2026-01-05", "2026-01-05", "2026-01-20", "2026-01-06"], utc=True
            ),
            "reach": [100, 150, 10, 7],
        }
    )
    store.upsert(con, "posts", posts)
    assert len(store.read(con, "posts", brand="a")) == 3
    assert store.read(con, "posts", brand="a", platform="facebook", latest=True)[
        "reach"
    ].tolist() == [150]
    january_first_half = store.read(con, "posts", start="2026-01-01", end="2026-01-15")
    assert sorted(january_first_half["post_id"]) == ["1", "1", "3"]


def test_store_is_a_duckdb_file_with_every_table(tmp_path):
    path = tmp_path / "s.duckdb"
    store.open_store(path).close()
    tables = {r[0] for r in duckdb.connect(str(path)).execute("SHOW TABLES").fetchall()}
    assert {
        "posts",
        "account_daily",
        "audience",
        "comments",
        "web_sessions",
        "competitors",
        "content_plan",
        "imports",
        "brands",
    } <= tables


def _hold(path, read_only: bool):
    """Another process holding ``path`` open (as an import or a dashboard would)."""
    import subprocess
    import sys

    code = (
        f"import duckdb, sys, time; c = duckdb.connect({str(path)!r}, read_only={read_only}); "
        "print('ready', flush=True); sys.stdin.read()"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout.readline().strip() == "ready"
    return proc


def test_the_serving_copy_follows_the_store_and_survives_a_writer(tmp_path):
    db = tmp_path / "s.duckdb"
    con = store.open_store(db)
    store.upsert(con, "account_daily", _daily(followers=[10, 12]))
    con.close()
    reader = store.open_serving(db)
    assert reader.execute("SELECT sum(followers) FROM account_daily").fetchall() == [(22,)]
    assert store.serving_path(db).name == "s.serving.duckdb"
    # a writer can open the store while the reader stays open, and its rows reach new readers
    con = store.open_store(db, wait=2)
    store.upsert(con, "account_daily", _daily(followers=[10, 15]))
    con.close()
    assert reader.execute("SELECT sum(followers) FROM account_daily").fetchall() == [(22,)]
    assert store.open_serving(db).execute(
        "SELECT sum(followers) FROM account_daily"
    ).fetchall() == [(25,)]
    # while another process writes, readers get the previous copy at once instead of an error
    con = store.open_store(db)
    store.upsert(con, "account_daily", _daily(followers=[1, 1]))
    con.close()
    writer = _hold(db, read_only=False)
    try:
        assert store.open_serving(db).execute(
            "SELECT sum(followers) FROM account_daily"
        ).fetchall() == [(25,)]
    finally:
        writer.communicate("")
    assert store.open_serving(db).execute(
        "SELECT sum(followers) FROM account_daily"
    ).fetchall() == [(2,)]
    assert not list(tmp_path.glob(".*.tmp"))


def test_a_busy_store_says_who_holds_it_and_what_to_do(tmp_path):
    db = tmp_path / "busy.duckdb"
    store.open_store(db).close()
    reader = _hold(db, read_only=True)
    try:
        with pytest.raises(
            store.StoreBusy, match=r"in use by another process .*wait for the import"
        ):
            store.open_store(db, wait=0.5)
    finally:
        reader.communicate("")
    store.open_store(db, wait=0).close()  # free again


def test_a_brand_without_a_zone_gets_the_one_default(tmp_path):
    from socialkpi.metrics.periods import DEFAULT_TIMEZONE

    con = store.open_store(tmp_path / "z.duckdb")
    store.set_brand(con, "acme", "America/New_York")
    assert store.brand_timezone(con, "acme") == "America/New_York"
    assert store.brand_timezone(con, "unknown") == DEFAULT_TIMEZONE == "Asia/Taipei"
    con.close()


def test_a_serving_copy_of_an_older_store_reads_with_todays_columns(tmp_path):
    """A store written before a column or a table existed (posts without reposts, no
    ad_results) is served with them, empty, so pages of the new version still run on it."""
    path = tmp_path / "old.duckdb"
    con = store.open_store(path)
    con.execute("ALTER TABLE posts DROP COLUMN reposts")
    con.execute("DROP TABLE ad_results")
    con.close()
    served = store.open_serving(path)
    try:
        assert served.execute("SELECT count(reposts) FROM posts").fetchall() == [(0,)]
        assert served.execute("SELECT count(*) FROM ad_results").fetchall() == [(0,)]
    finally:
        served.close()
