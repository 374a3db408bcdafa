"""Listing and removing imports: an export that went to the wrong brand can be taken out,
and rows it shared with other files keep those files' values."""

from datetime import date

import pandas as pd
import pytest

from socialkpi import store
from socialkpi.cli import main
from socialkpi.ingest import Options, import_paths
from socialkpi.store import imports
from tests.conftest import FIXTURES

X_EXPORT = FIXTURES / "good" / "x_tweet_activity_likes.csv"
DAY = date(2026, 10, 31)


def _page_daily(path, metric: str, values: list[int]):
    lines = ["sep=,", f'"{metric}"', '"Date","Primary"']
    lines += [f'"2025-08-0{i + 1}T00:00:00","{v}"' for i, v in enumerate(values)]
    path.write_bytes("\n".join(lines).encode("utf-16"))
    return path


def _import(con, path, brand, **options):
    (result,) = import_paths(con, [path], Options(brand=brand, export_date=DAY, **options))
    return result


def test_an_import_for_the_wrong_brand_can_be_moved(con):
    assert _import(con, X_EXPORT, "wrong").status == "imported"
    again = _import(con, X_EXPORT, "right")
    assert again.status == "failed"
    sha = imports.list_imports(con)["file_sha256"].iloc[0]
    assert "already imported for brand wrong" in again.error
    assert f"socialkpi imports remove {sha[:12]}" in again.error
    removed = imports.remove(con, imports.find(con, sha[:8]))
    assert removed == {"posts": {"deleted": 1, "rebuilt": 0}}
    assert store.read(con, "posts").empty and store.brand_timezones(con) == {}
    assert imports.list_imports(con).empty
    assert _import(con, X_EXPORT, "right").status == "imported"
    assert store.read(con, "posts")["brand"].tolist() == ["right"]


def test_removing_one_of_two_files_that_fill_one_row_keeps_the_other(con, tmp_path):
    """A page's follows file and its views file fill two columns of the same daily rows."""
    follows = _page_daily(tmp_path / "follows.csv", "Facebook follows", [20, 35])
    views = _page_daily(tmp_path / "views.csv", "Views", [700, 900])
    for path in (follows, views):
        assert _import(con, path, "acme", platform="facebook").status == "imported"
    listed = imports.list_imports(con).set_index("source_path")
    removed = imports.remove(con, listed.loc[str(views), "file_sha256"])
    assert removed == {"account_daily": {"deleted": 0, "rebuilt": 2}}
    daily = store.read(con, "account_daily")
    assert daily["follower_gains"].tolist() == [20, 35]
    assert daily["views"].isna().all()


def test_removing_a_later_download_restores_the_earlier_values(con, tmp_path):
    """The same day's export downloaded twice: the second overwrote likes 20 with 25."""
    later = tmp_path / "later.csv"
    later.write_text(X_EXPORT.read_text("utf-8").replace('"20.0"', '"25.0"'), "utf-8")
    _import(con, X_EXPORT, "acme")
    _import(con, later, "acme")
    assert store.read(con, "posts")["reactions"].tolist() == [25]
    imports.remove(con, imports.list_imports(con)["file_sha256"].iloc[1])
    post = store.read(con, "posts").iloc[0]
    assert (post.reactions, post.impressions, post.source_file) == (20, 1000, str(X_EXPORT))


def test_a_failed_removal_changes_nothing(con, monkeypatch):
    _import(con, X_EXPORT, "acme")
    sha = imports.list_imports(con)["file_sha256"].iloc[0]

    def broken(*args):
        raise RuntimeError("disk full")

    monkeypatch.setattr(imports, "_has_rows", broken)
    with pytest.raises(RuntimeError):
        imports.remove(con, sha)
    assert len(store.read(con, "posts")) == 1 and len(imports.list_imports(con)) == 1


def test_an_import_from_before_the_ledger_cannot_be_removed(con):
    _import(con, X_EXPORT, "acme")
    con.execute(f"DELETE FROM {store.ledger('posts')}")  # as a store made by socialkpi 0.1
    with pytest.raises(imports.ImportNotRemovable, match="rebuild the store"):
        imports.remove(con, imports.list_imports(con)["file_sha256"].iloc[0])
    assert len(store.read(con, "posts")) == 1


@pytest.mark.parametrize(
    ("prefix", "says"),
    [("abc", "at least 8"), ("zzzzzzzz", "not a sha256"), ("00000000", "no import")],
)
def test_find_needs_one_match(con, prefix, says):
    with pytest.raises(imports.ImportNotFound, match=says):
        imports.find(con, prefix)


def test_the_imports_commands(tmp_path, capsys):
    db = str(tmp_path / "s.duckdb")
    assert (
        main(
            ["import", str(X_EXPORT), "--brand", "wrong", "--db", db, "--export-date", "2026-10-31"]
        )
        == 0
    )
    capsys.readouterr()
    assert main(["imports", "list", "--db", db]) == 0
    listing = capsys.readouterr().out
    sha = listing.split()[0]
    assert "wrong" in listing and "x_tweet_activity" in listing and "1 imports" in listing
    assert main(["imports", "remove", sha, "--db", db]) == 0
    said = capsys.readouterr().out
    assert "posts: 1 rows removed" in said and f"removed import {sha}" in said
    assert main(["imports", "remove", sha, "--db", db]) == 2
    assert "no import with sha256 starting" in capsys.readouterr().err
    con = store.open_serving(db)  # readers see the store without it
    assert con.execute("SELECT count(*) FROM posts").fetchone()[0] == 0
    con.close()


def test_a_large_export_with_an_empty_column_imports(con, tmp_path):
    """Above the fast-path size the file is read by Arrow, where an empty column is all
    null: every step must take it (Title is empty on every row of many Meta exports)."""
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).parents[1] / "bench"))
    from import_bench import write_export

    from socialkpi.ingest._grid import FAST_PATH_CHARS

    path = tmp_path / "Oct-01-2026_Oct-31-2026_1.csv"
    write_export(path, 4000)
    assert path.stat().st_size > FAST_PATH_CHARS
    (result,) = import_paths(con, [path], Options("bench", date(2026, 10, 31)))
    assert result.status == "imported", result.error
    assert result.rows == {"posts": 4000}


def _windowed(monkeypatch, chars: int = 40_000) -> None:
    from socialkpi.ingest import _pipeline

    monkeypatch.setattr(_pipeline, "STREAM_BYTES", 0)
    monkeypatch.setattr(_pipeline, "WINDOW_CHARS", chars)


def _bench_export(tmp_path, rows: int, edit=None):
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).parents[1] / "bench"))
    from import_bench import write_export

    path = tmp_path / "Oct-01-2026_Oct-31-2026_1.csv"
    write_export(path, rows)
    if edit:
        path.write_text(edit(path.read_text("utf-8-sig")), "utf-8-sig")
    return path


def test_a_file_read_in_windows_stores_what_a_whole_read_stores(tmp_path, monkeypatch):
    """Windows end between records, never inside a quoted caption that spans lines, and
    number their rows as the file does."""

    def captions_over_lines(text: str) -> str:
        return text.replace("Post 17,", '"Post 17\nsecond line, with a comma",')

    path = _bench_export(tmp_path, 3000, captions_over_lines)
    whole = store.open_store(tmp_path / "whole.duckdb")
    (a,) = import_paths(whole, [path], Options("bench", date(2026, 10, 31)))
    _windowed(monkeypatch)
    windowed = store.open_store(tmp_path / "windowed.duckdb")
    (b,) = import_paths(windowed, [path], Options("bench", date(2026, 10, 31)))
    assert a.status == b.status == "imported" and a.rows == b.rows == {"posts": 3000}
    cols = ["post_id", "published_at", "caption", "reach", "reactions", "content_type"]
    one = store.read(whole, "posts").sort_values("post_id")[cols].reset_index(drop=True)
    two = store.read(windowed, "posts").sort_values("post_id")[cols].reset_index(drop=True)
    pd.testing.assert_frame_equal(one, two)
    assert "Post 17\nsecond line, with a comma" in set(two["caption"])


def test_a_bad_row_in_a_late_window_leaves_the_store_as_it_was(con, tmp_path, monkeypatch):
    import re

    def impossible_day(text: str) -> str:  # post 2990 is on line 2992 (the header is line 1)
        return re.sub(r"(,Post 2990,,)[^,]+", r"\g<1>02/30/2026 10:00", text)

    path = _bench_export(tmp_path, 3000, impossible_day)
    _windowed(monkeypatch)
    (result,) = import_paths(con, [path], Options("bench", date(2026, 10, 31)))
    assert result.status == "failed"
    assert 'row 2992, column "Publish time"' in result.error and "02/30/2026" in result.error
    assert store.counts(con).empty


def test_the_same_post_in_two_windows_is_refused(con, tmp_path, monkeypatch):
    path = _bench_export(
        tmp_path, 3000, lambda t: t.replace("6157100000001_2900,", "6157100000001_5,", 1)
    )
    _windowed(monkeypatch)
    (result,) = import_paths(con, [path], Options("bench", date(2026, 10, 31)))
    assert result.status == "failed"
    assert "rows far apart in the file describe the same posts row" in result.error
    assert "post_id 6157100000001_5" in result.error
    assert store.counts(con).empty


def test_a_new_time_zone_is_refused_until_the_brand_is_imported_again(tmp_path):
    """Meta writes local times: 10/01/2026 12:30 is 04:30 UTC in Taipei (UTC+8) and 03:30 UTC
    in Tokyo (UTC+9). A brands.yaml that switches zones must not mix the two in one store."""
    folder = tmp_path / "exports"
    (folder / "acme").mkdir(parents=True)
    export = FIXTURES / "good" / "meta_facebook_posts.csv"
    (folder / "acme" / "Oct-01-2026_Oct-31-2026_1.csv").write_bytes(export.read_bytes())
    db = str(tmp_path / "s.duckdb")

    def published(post_id: str) -> str:
        con = store.open_store(db, read_only=True)
        try:
            posts = store.read(con, "posts").set_index("post_id")
            return posts.loc[post_id, "published_at"].strftime("%H:%M")
        finally:
            con.close()

    (folder / "brands.yaml").write_text("acme: {timezone: Asia/Taipei}\n", "utf-8")
    assert main(["import", str(folder), "--db", db]) == 0
    assert published("6157100000001_1003") == "04:30"

    (folder / "brands.yaml").write_text("acme: {timezone: Asia/Tokyo}\n", "utf-8")
    con = store.open_store(db)
    try:
        (refused,) = import_paths(con, [folder])
    finally:
        con.close()
    assert refused.status == "failed"
    assert "read in time zone Asia/Taipei, and brands.yaml now says Asia/Tokyo" in refused.error
    assert "socialkpi imports remove --brand acme" in refused.error
    assert published("6157100000001_1003") == "04:30"  # nothing changed

    assert main(["imports", "remove", "--brand", "acme", "--db", db]) == 0
    assert main(["import", str(folder), "--db", db]) == 0
    assert published("6157100000001_1003") == "03:30"


def test_removing_a_brand_leaves_the_other_brands(con, tmp_path):
    assert _import(con, X_EXPORT, "acme").status == "imported"
    follows = _page_daily(tmp_path / "follows.csv", "Facebook follows", [20, 35])
    assert _import(con, follows, "other", platform="facebook").status == "imported"
    assert imports.remove_brand(con, "acme") == {"posts": 1}
    assert imports.list_imports(con)["brand"].tolist() == ["other"]
    assert store.read(con, "posts").empty
    assert con.execute("SELECT count(*) FROM ledger_posts").fetchall() == [(0,)]
    assert len(store.read(con, "account_daily")) == 2
    assert set(store.brand_timezones(con)) == {"other"}
    with pytest.raises(imports.ImportNotFound, match="no import of brand acme"):
        imports.remove_brand(con, "acme")


def test_imports_remove_takes_a_sha_or_a_brand_not_both(tmp_path):
    db = str(tmp_path / "s.duckdb")
    store.open_store(db).close()
    assert main(["imports", "remove", "--db", db]) == 2
    assert main(["imports", "remove", "abcdef012345", "--brand", "acme", "--db", db]) == 2


def test_the_windows_notes_join_as_in_a_read_in_one_piece(tmp_path, monkeypatch):
    """Windows are typed on threads, each with its own notes: the file's warnings (the
    engagements tally with its first example, furniture skipped) are those of one read."""

    def two_totals_off_and_a_placeholder(text: str) -> str:
        lines = text.split("\n")
        for i in (120, 2500):  # far apart: in different windows
            cells = lines[i].split(",")
            cells[12] = str(int(cells[12]) + 5)  # "Reactions, Comments and Shares"
            lines[i] = ",".join(cells)
        lines.insert(1800, ",,,,,,,,,,0,0,0,0,0,0,0,0")  # no post, only zeros: a placeholder
        return "\n".join(lines)

    path = _bench_export(tmp_path, 3000, two_totals_off_and_a_placeholder)
    (whole,) = import_paths(
        store.open_store(tmp_path / "a.duckdb"), [path], Options("bench", date(2026, 10, 31))
    )
    _windowed(monkeypatch)
    (windowed,) = import_paths(
        store.open_store(tmp_path / "b.duckdb"), [path], Options("bench", date(2026, 10, 31))
    )
    assert whole.status == windowed.status == "imported"
    assert windowed.warnings == whole.warnings
    said = " | ".join(windowed.warnings)
    assert "2 of 3000 posts" in said and "(row 121:" in said
    assert "1 placeholder row skipped" in said


@pytest.mark.parametrize("where", ["middle", "end"])
def test_a_damaged_row_is_refused_in_windows_as_in_one_piece(tmp_path, monkeypatch, where):
    """A row with too few cells: in a window of its own (Arrow refuses it, the exact reader
    takes over) the import says what a whole read says, row and all; a row cut short at
    the file's end is the only one said to end the file."""

    def damage(text: str) -> str:
        lines = text.rstrip("\n").split("\n")
        at = 2000 if where == "middle" else len(lines) - 1
        lines[at] = ",".join(lines[at].split(",")[:8])
        return "\n".join(lines) + ("\n" if where == "middle" else "")

    path = _bench_export(tmp_path, 3000, damage)
    (whole,) = import_paths(
        store.open_store(tmp_path / "a.duckdb"), [path], Options("bench", date(2026, 10, 31))
    )
    _windowed(monkeypatch)
    con = store.open_store(tmp_path / "b.duckdb")
    (windowed,) = import_paths(con, [path], Options("bench", date(2026, 10, 31)))
    assert whole.status == windowed.status == "failed" and windowed.rows == {}
    assert windowed.error == whole.error
    row = 2001 if where == "middle" else 3001
    assert f"row {row} has 8 of the header's 18 columns" in windowed.error
    assert ("cut short)" in windowed.error) == (where == "end")
    assert store.counts(con).empty
