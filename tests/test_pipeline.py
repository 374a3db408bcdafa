"""Walking paths, brands from folders, idempotent re-import, user aliases, the CLI."""

import shutil
from pathlib import Path

import pytest

from socialkpi import store
from socialkpi.cli import main
from socialkpi.ingest import Options, import_paths
from socialkpi.ingest._errors import ExportError
from socialkpi.metrics.periods import parse_period
from tests.conftest import FIXTURES


def _brand_tree(tmp_path):
    root = tmp_path / "exports"
    (root / "lumi" / "facebook").mkdir(parents=True)
    (root / "north" / "x").mkdir(parents=True)
    shutil.copy(
        FIXTURES / "good/meta_facebook_posts.csv",
        root / "lumi/facebook/Oct-01-2026_Oct-31-2026_1.csv",
    )
    shutil.copy(
        FIXTURES / "good/x_tweet_activity_likes.csv", root / "north/x/tweets_2026-10-31.csv"
    )
    (root / "brands.yaml").write_text("north:\n  timezone: Asia/Hong_Kong\n", "utf-8")
    return root


def test_folder_brands_reimport_and_imports_log(con, tmp_path):
    root = _brand_tree(tmp_path)
    first = import_paths(con, [root])
    assert [(r.brand, r.status) for r in first] == [("lumi", "imported"), ("north", "imported")]
    counts = store.counts(con)
    again = import_paths(con, [root])
    assert [r.status for r in again] == ["skipped", "skipped"]
    assert store.counts(con).equals(counts)
    log = con.execute(
        "SELECT importer, brand, export_date::VARCHAR FROM imports ORDER BY brand"
    ).fetchall()
    assert log == [
        ("meta_facebook_posts", "lumi", "2026-10-31"),
        ("x_tweet_activity", "north", "2026-10-31"),
    ]
    assert store.brand_timezones(con) == {"lumi": "Asia/Taipei", "north": "Asia/Hong_Kong"}


def test_single_file_without_brand_is_refused(con):
    (result,) = import_paths(con, [FIXTURES / "good/meta_facebook_posts.csv"])
    assert result.status == "failed" and "pass --brand NAME" in result.error


def test_user_alias_file_adds_a_header_name(con, tmp_path):
    renamed = tmp_path / "facebook.csv"
    text = (
        (FIXTURES / "good/meta_facebook_posts.csv")
        .read_text("utf-8-sig")
        .replace("Publish time", "Hora de publicación")
    )
    renamed.write_text(text, "utf-8")
    (failed,) = import_paths(con, [renamed], Options("acme"))
    assert '"Publish time"' in failed.error
    aliases = tmp_path / "aliases.yaml"
    aliases.write_text("meta_facebook_posts:\n  published_at: [Hora de publicación]\n", "utf-8")
    (ok,) = import_paths(con, [renamed], Options("acme", alias_files=(str(aliases),)))
    assert ok.status == "imported" and ok.rows == {"posts": 3}


def test_a_failed_file_does_not_stop_the_others(con, tmp_path):
    root = _brand_tree(tmp_path)
    shutil.copy(FIXTURES / "bad/bad_number_cell.csv", root / "lumi/facebook/broken.csv")
    results = import_paths(con, [root])
    assert sorted(r.status for r in results) == ["failed", "imported", "imported"]
    assert con.execute("SELECT count(*) FROM imports").fetchall() == [(2,)]


def test_cli_import_summary_and_exit_codes(tmp_path, capsys):
    root = _brand_tree(tmp_path)
    db = str(tmp_path / "cli.duckdb")
    assert main(["import", str(root), "--db", db]) == 0
    out = capsys.readouterr().out
    assert "2 files imported, 0 already imported, 0 failed" in out
    assert "posts            lumi                    3" in out
    assert main(["import", str(FIXTURES / "bad/empty_file.csv"), "--brand", "x", "--db", db]) == 1
    assert "the file is empty" in capsys.readouterr().err


def test_folders_above_the_import_path_do_not_name_the_platform(con, tmp_path):
    # a checkout under /home/x/ must not turn a gender file into an X export
    here = tmp_path / "x" / "2020-01-01" / "exports"
    here.mkdir(parents=True)
    shutil.copy(FIXTURES / "bad/gender_without_platform.csv", here / "gender.csv")
    (result,) = import_paths(con, [here / "gender.csv"], Options("acme"))
    assert result.status == "failed" and "--platform NAME" in result.error
    (result,) = import_paths(con, [here], Options("acme"))  # a folder argument: same rule
    assert result.status == "failed" and "--platform NAME" in result.error


def test_brands_yaml_changes_apply_when_the_files_were_imported_before(tmp_path):
    """A name or currency added to brands.yaml later reaches the store, though every export
    in the folder is skipped as already imported."""
    from socialkpi import store
    from socialkpi.ingest import import_paths
    from socialkpi.metrics import kpi

    folder = tmp_path / "exports"
    (folder / "acme").mkdir(parents=True)
    fixture = (
        Path(__file__).parent
        / "fixtures"
        / "good"
        / "x_account_analytics_content_2026-09-01_2026-09-30.csv"
    )
    (folder / "acme" / fixture.name).write_bytes(fixture.read_bytes())
    con = store.open_store(tmp_path / "s.duckdb")
    try:
        (first,) = import_paths(con, [folder])
        assert first.status != "skipped" and store.brand_name(con, "acme", "en") == "acme"
        (folder / "brands.yaml").write_text(
            "acme:\n  name: {en: Acme Tea, zh-TW: 頂好茶}\n  currency: TWD\n", "utf-8"
        )
        (again,) = import_paths(con, [folder])
        assert again.status == "skipped"
        assert store.brand_name(con, "acme", "zh-TW") == "頂好茶"
        assert store.brand_settings(con, "acme")["currency"] == "TWD"
        # an engagement-rate definition is applied when reports are made, to every period
        # they compare, so changing it needs no re-import
        (folder / "brands.yaml").write_text(
            "acme: {engagement_rate: engagement_rate_followers}\n", "utf-8"
        )
        (third,) = import_paths(con, [folder])
        assert third.status == "skipped"
        assert kpi.brand_engagement_rate(con, "acme") == "engagement_rate_followers"
    finally:
        con.close()


@pytest.mark.parametrize(
    ("zone", "asked", "answered"),
    [
        # Friday 17:00 -> Monday 10:00 in Taipei (UTC+8)
        ("Asia/Taipei", "2026-10-02T09:00:00+00:00", "2026-10-05T02:00:00+00:00"),
        # Friday 16:30 -> Monday 09:30 in New York (UTC-4 in October)
        ("America/New_York", "2026-10-02T20:30:00+00:00", "2026-10-05T13:30:00+00:00"),
    ],
)
def test_business_hours_from_brands_yaml_reach_the_response_time(tmp_path, zone, asked, answered):
    """brands.yaml -> import -> store -> KPI: a reply 65 clock hours later took 2 business
    hours (1 h before Friday's 18:00 close + 1 h after Monday's 09:00 open, brand's zone)."""
    from socialkpi import store
    from socialkpi.ingest import import_paths
    from socialkpi.metrics import kpi

    folder = tmp_path / "exports"
    (folder / "acme").mkdir(parents=True)
    (folder / "brands.yaml").write_text(
        f"acme:\n  timezone: {zone}\n  business_hours: Mon-Fri 09:00-18:00\n", "utf-8"
    )
    (folder / "acme" / "comments.csv").write_text(
        "comment_id,platform,post_id,created_at,author,text,is_brand_reply,parent_id\n"
        f"c1,facebook,p1,{asked},someone,請問有開嗎,false,\n"
        f"r1,facebook,p1,{answered},brand,有的,true,c1\n",
        "utf-8",
    )
    con = store.open_store(tmp_path / "s.duckdb")
    try:
        assert [r.status for r in import_paths(con, [folder])] == ["imported"]
        assert store.brand_settings(con, "acme")["business_hours"] == "Mon-Fri 09:00-18:00"
        _, pooled, _ = kpi.period_totals(con, "acme", [parse_period("2026-10")], zone)
        assert pooled["response_p50_h"].tolist() == [pytest.approx(2.0)]
        store.set_brand(con, "acme", zone, business_hours="24/7")
        _, pooled, _ = kpi.period_totals(con, "acme", [parse_period("2026-10")], zone)
        assert pooled["response_p50_h"].tolist() == [pytest.approx(65.0)]
    finally:
        con.close()


def test_malformed_business_hours_in_brands_yaml_fail_clearly(tmp_path):
    from socialkpi import store
    from socialkpi.ingest import import_paths

    folder = tmp_path / "exports"
    (folder / "acme").mkdir(parents=True)
    (folder / "brands.yaml").write_text("acme:\n  business_hours: weekdays 9 to 6\n", "utf-8")
    (folder / "acme" / "comments.csv").write_bytes((FIXTURES / "good/comments.csv").read_bytes())
    con = store.open_store(tmp_path / "s.duckdb")
    try:
        with pytest.raises(
            ExportError, match=r"(?s)brands\.yaml.*weekdays 9 to 6.*Mon-Fri 09:00-18:00"
        ):
            import_paths(con, [folder])
        assert store.counts(con)["rows"].sum() == 0
    finally:
        con.close()


def test_bad_competitor_files_are_reported_and_the_others_import(con, tmp_path):
    """Month 13 and a count of 2**63 - 1 are cell errors, not a crash that ends the run; a
    file no rule foresaw is reported too, and the run goes on."""
    root = tmp_path / "exports"
    (root / "acme").mkdir(parents=True)
    (root / "brands.yaml").write_text(
        "acme:\n  competitors:\n    forest: {name: Forest}\n", "utf-8"
    )
    head = "competitor,platform,post_url,published_at,reactions,captured_at\n"
    (root / "acme" / "a_month13.csv").write_text(
        head + "Forest,facebook,https://fb.example/p/1,2026-13-03 20:15,120,2026-10-20 10:00\n"
    )
    (root / "acme" / "b_huge.csv").write_text(
        head + "Forest,facebook,https://fb.example/p/2,2026-10-03 20:15,"
        "9223372036854775807,2026-10-20 10:00\n"
    )
    shutil.copy(FIXTURES / "good/meta_facebook_posts.csv", root / "acme" / "c_posts.csv")
    results = {Path(r.path).name: r for r in import_paths(con, [root])}
    assert results["c_posts.csv"].status == "imported"
    month = results["a_month13.csv"]
    assert month.status == "failed"
    assert 'row 2, column "published_at"' in month.error and "'2026-13-03 20:15'" in month.error
    huge = results["b_huge.csv"]
    assert huge.status == "failed"
    assert 'row 2, column "reactions": expected a count' in huge.error
    assert store.counts(con)["table_name"].tolist() == ["posts"]


def test_an_unforeseen_error_in_one_file_is_reported_and_the_run_goes_on(
    con, tmp_path, monkeypatch
):
    from socialkpi.ingest import _pipeline

    real = _pipeline.parse_windows

    def flaky(display, *args, **kwargs):
        if display.endswith("first.csv"):
            raise RuntimeError("something no rule foresaw")
        return real(display, *args, **kwargs)

    monkeypatch.setattr(_pipeline, "parse_windows", flaky)
    for name in ("first.csv", "second.csv"):
        shutil.copy(FIXTURES / "good/meta_facebook_posts.csv", tmp_path / name)
    first, second = import_paths(
        con, [tmp_path / "first.csv", tmp_path / "second.csv"], Options("acme")
    )
    assert first.status == "failed" and "RuntimeError: something no rule foresaw" in first.error
    assert "nothing was imported from it" in first.error
    assert second.status == "imported"
