"""The command line: one exit code per kind of outcome, shared options with one default, and a
``--help`` with an example for every command."""

from pathlib import Path

import pytest

from socialkpi import cli, store
from socialkpi.cli import main
from tests.conftest import FIXTURES


def _commands():
    sub = next(a for a in cli.parser()._actions if a.dest == "command")
    return sub.choices


def test_every_command_has_help_with_an_example(capsys):
    assert set(_commands()) == {
        "import",
        "imports",
        "metrics",
        "kpi",
        "summary",
        "competitors",
        "plan",
        "money",
        "connect",
        "connections",
        "pull",
        "experiment",
        "alerts",
        "sentiment",
        "report",
        "dashboard",
        "clients",
        "sample",
        "connect-smtp",
        "deliver",
        "schedule",
        "autopilot",
    }
    for name in _commands():
        with pytest.raises(SystemExit) as done:
            main([name, "--help"])
        assert done.value.code == 0
        out = capsys.readouterr().out
        example = out.split("example:\n  ")[1]
        assert f"usage: socialkpi {name}" in out and f"socialkpi {name}" in example


def test_shared_options_have_one_default_everywhere():
    defaults = {}
    for command in _commands().values():
        for action in command._actions:
            if action.dest in ("db", "lang") and action.choices != ["auto", "zh-TW", "en"]:
                defaults.setdefault(action.dest, set()).add(action.default)
    assert defaults == {"db": {str(store.DEFAULT_DB)}, "lang": {"zh-TW"}}


def test_exit_0_when_done(capsys):
    assert main(["metrics", "--lang", "en"]) == cli.OK == 0
    assert "Engagement rate (by reach)" in capsys.readouterr().out


def test_exit_1_when_the_work_fails(tmp_path, capsys):
    db = str(tmp_path / "s.duckdb")
    bad = str(FIXTURES / "bad/empty_file.csv")
    assert main(["import", bad, "--brand", "acme", "--db", db]) == cli.FAILED == 1
    assert "FAILED" in capsys.readouterr().err
    missing = str(tmp_path / "none.duckdb")
    assert main(["kpi", "--brand", "acme", "--month", "2026-10", "--db", missing]) == 1
    assert "no store at" in capsys.readouterr().err


def test_exit_2_on_a_usage_error(tmp_path, capsys):
    with pytest.raises(SystemExit) as argparse_error:
        main(["kpi", "--month", "2026-10"])  # --brand is required
    assert argparse_error.value.code == cli.USAGE == 2
    db = str(tmp_path / "s.duckdb")
    main(["import", str(FIXTURES / "good/meta_facebook_posts.csv"), "--brand", "acme", "--db", db])
    capsys.readouterr()
    assert main(["kpi", "--brand", "nobody", "--month", "2026-10", "--db", db]) == 2
    assert "unknown brand 'nobody'" in capsys.readouterr().err
    assert main(["kpi", "--brand", "acme", "--month", "2026-10", "--kpi", "nope", "--db", db]) == 2
    assert main(["report", "--brand", "acme", "--notebooks", "09", "--db", db]) == 2
    assert "unknown notebooks ['09']" in capsys.readouterr().err


@pytest.mark.slow
def test_report_import_sample_builds_the_store_first(tmp_path, capsys, monkeypatch):
    from socialkpi.presentation import notebook

    # a stand-in for data/sample (importing the real one takes half a minute): two brands
    repo = tmp_path / "repo"
    exports = {
        "lumi_tea": "meta_facebook_posts.csv",
        "northwind_cloud": "meta_instagram_posts_ja.csv",
    }
    for brand, export in exports.items():
        folder = repo / "data" / "sample" / brand
        folder.mkdir(parents=True)
        (folder / "Oct-01-2026_Oct-31-2026_1.csv").write_bytes(
            (FIXTURES / "good" / export).read_bytes()
        )
    monkeypatch.setattr(notebook, "REPO", repo)
    db = tmp_path / "new.duckdb"
    code = main(["report", "--import-sample", "--brand", "nobody", "--db", str(db)])
    assert code == cli.USAGE  # the sample's brands are known by then, and nobody is not one
    assert "unknown brands ['nobody']; known: lumi_tea, northwind_cloud" in capsys.readouterr().err
    con = store.open_store(db, read_only=True)
    assert sorted(store.brand_timezones(con)) == ["lumi_tea", "northwind_cloud"]
    con.close()


def test_exit_3_only_for_an_open_crisis():
    assert cli.CRISIS == 3  # tests/test_listening.py drives `alerts` to 3 and to 0
    assert len({cli.OK, cli.FAILED, cli.USAGE, cli.CRISIS}) == 4


def test_competitors_json_holds_every_account_and_the_landscape(sample_db, capsys):
    import json

    db = str(sample_db[0])
    args = ["competitors", "--brand", "lumi_tea", "--month", "2026-10", "--db", db]
    assert main([*args, "--format", "json", "--lang", "en"]) == 0
    out = json.loads(capsys.readouterr().out)
    accounts = out["accounts"]
    assert {a["platform"] for a in accounts} == {"all", "facebook", "instagram"}
    everything = [a for a in accounts if a["platform"] == "all"]
    assert [a["name"] for a in everything if a["is_brand"]] == ["Lumi Tea"]
    assert {a["name"] for a in everything if not a["is_brand"]} == {
        "Forest Tea",
        "Leaf & Co.",
        "Cloud Peak Tea",
    }
    for platform in ("all", "facebook", "instagram"):
        rows = [a for a in accounts if a["platform"] == platform]
        assert sum(a["share_of_engagement"] for a in rows) == pytest.approx(1)
        assert sum(a["share_of_posts"] for a in rows) == pytest.approx(1)
    for a in accounts:
        assert a["interval"]["low"] <= a["engagements_per_post_median"] <= a["interval"]["high"]
    # the landscape average leaves the brand out
    rivals = [a["followers"] for a in everything if not a["is_brand"]]
    (average,) = [x for x in out["landscape_average"] if x["platform"] == "all"]
    assert average["followers"] == pytest.approx(sum(rivals) / 3)
    assert main([*args, "--lang", "zh-TW"]) == 0
    text = capsys.readouterr().out
    assert "露米茶飲（我方）" in text and "聲量佔比" in text and "茶之森" in text


def test_competitors_without_any_exit_1(tmp_path, capsys):
    db = str(tmp_path / "s.duckdb")
    main(["import", str(FIXTURES / "good/meta_facebook_posts.csv"), "--brand", "acme", "--db", db])
    capsys.readouterr()
    assert main(["competitors", "--brand", "acme", "--month", "2026-10", "--db", db]) == 1
    assert "list competitors in brands.yaml" in capsys.readouterr().err
    assert main(["competitors", "--brand", "nobody", "--month", "2026-10", "--db", db]) == 2


def test_plan_json_counts_add_up_overall_and_per_platform(sample_db, capsys):
    import json

    db = str(sample_db[0])
    args = ["plan", "--brand", "lumi_tea", "--month", "2026-10", "--db", db]
    assert main([*args, "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    for counts in [out, *out["platforms"].values()]:
        assert counts["planned"] == sum(
            counts[k] for k in ("on_time", "late", "missed", "cancelled")
        )
        assert counts["published"] == counts["matched"] + counts["unplanned"]
    for key in ("planned", "published", "on_time", "unplanned"):
        assert out[key] == sum(p[key] for p in out["platforms"].values())
    assert main([*args, "--lang", "en"]) == 0
    text = capsys.readouterr().out
    assert "All platforms" in text and "On time" in text and "Adherence" in text
    assert main(["plan", "--brand", "lumi_tea", "--month", "2023-01", "--db", db]) == 1


def test_plan_draft_writes_csv_and_ics_for_the_month(sample_db, tmp_path, capsys):
    import icalendar
    import pandas as pd

    db = str(sample_db[0])
    args = ["plan", "draft", "--brand", "lumi_tea", "--month", "2026-11", "--db", db]
    assert main([*args, "--out", str(tmp_path)]) == 0
    csv = pd.read_csv(tmp_path / "lumi_tea-2026-11-draft.csv", encoding="utf-8-sig")
    assert list(csv.columns[:5]) == ["企劃編號", "日期", "時間", "平台", "內容支柱/主題"]
    assert csv["企劃編號"].is_unique and csv["企劃編號"].str.startswith("draft-").all()
    assert csv["日期"].str.startswith("2026-11-").all()
    ics = icalendar.Calendar.from_ical((tmp_path / "lumi_tea-2026-11-draft.ics").read_bytes())
    posts = [e for e in ics.walk("VEVENT") if "TRANSP" not in e]
    assert len(posts) == len(csv)
    assert f"{len(csv)} posts drafted" in capsys.readouterr().out
    assert main(args) == 2  # no --out
    assert main([*args[:-2], "--db", db, "--month", "2019-01", "--out", str(tmp_path)]) == 1


def test_a_draft_imported_as_the_plan_leaves_nothing_new_to_draft(sample_db, tmp_path, capsys):
    """The issue: drafting again after importing the draft said there were no posts."""
    import shutil

    db = str(tmp_path / "s.duckdb")
    shutil.copy(sample_db[0], db)
    args = ["plan", "draft", "--brand", "lumi_tea", "--month", "2026-11", "--db", db]
    assert main([*args, "--out", str(tmp_path / "first")]) == 0
    drafted = int(capsys.readouterr().out.split(" posts drafted")[0].split()[-1])
    csv = tmp_path / "first" / "lumi_tea-2026-11-draft.csv"
    assert main(["import", str(csv), "--brand", "lumi_tea", "--db", db]) == 0
    capsys.readouterr()
    assert main([*args, "--out", str(tmp_path / "again")]) == 0
    said = capsys.readouterr().out
    assert "nothing new to draft for lumi_tea in 2026-11: it already plans" in said
    assert "no plan items or posts" not in said and not (tmp_path / "again").exists()
    assert drafted > 0


def test_a_full_disk_is_a_message_not_a_traceback(sample_db, tmp_path, capsys, monkeypatch):
    import errno
    import os

    real_open = os.open

    def full(path, flags, *args):
        if flags & os.O_CREAT and str(path).startswith(str(tmp_path)):
            raise OSError(errno.ENOSPC, "No space left on device", path)
        return real_open(path, flags, *args)

    monkeypatch.setattr(os, "open", full)
    db = str(sample_db[0])
    args = ["plan", "draft", "--brand", "lumi_tea", "--month", "2026-11", "--db", db]
    assert main([*args, "--out", str(tmp_path)]) == cli.FAILED
    err = capsys.readouterr().err
    assert err.startswith(f"error: cannot write {tmp_path}/lumi_tea-2026-11-draft.csv: the disk")
    assert "Traceback" not in err and list(tmp_path.iterdir()) == []


def test_experiment_plan_sizes_a_test_from_history(sample_db, capsys):
    import json
    import math

    db = str(sample_db[0])
    args = ["experiment", "plan", "--brand", "lumi_tea", "--platform", "instagram", "--db", db]
    assert main([*args, "--metric", "engagement_rate_exposure", "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    z = 1.959964 + 0.841621
    assert out["posts_needed"] == math.ceil(2 * (z * out["spread"] / math.log(1.2)) ** 2)
    assert out["detectable"]["40"] < out["detectable"]["10"]
    assert out["months"] == "2026-05..2026-10" and out["history_posts"] > 0
    assert main([*args, "--metric", "followers"]) == 2  # not a per-post KPI


EXPERIMENTS = Path(__file__).parent.parent / "data" / "experiments"


def test_experiment_analyze_gives_both_sample_verdicts_as_json(sample_db, capsys):
    import json

    db = str(sample_db[0])
    args = ["experiment", "analyze", "--brand", "lumi_tea", "--db", db]
    args += ["--experiments", str(EXPERIMENTS), "--format", "json"]
    assert main([*args, "--id", "question-cta"]) == 0
    found = json.loads(capsys.readouterr().out)
    # the sample gave variant B a 40% lift: found, with an interval above zero
    assert (found["verdict"], found["winner"]) == ("difference", "B")
    assert found["interval"][0] > 0 and found["p_value"] < 0.05
    assert set(found) >= {"effect", "interval", "p_value", "posts", "mde"}
    assert main([*args, "--id", "long-caption"]) == 0
    none = json.loads(capsys.readouterr().out)
    assert (none["verdict"], none["winner"]) == ("no_detectable_difference", None)
    assert none["interval"][0] < 0 < none["interval"][1] and none["mde"] > 0
    assert all(n >= 10 for n in none["posts"].values())
    assert main([*args, "--id", "nope"]) == 2
    assert "known: question-cta, long-caption" in capsys.readouterr().err


def test_experiment_schedule_writes_a_plan_that_imports_back(sample_db, tmp_path, capsys):
    from socialkpi.ingest import Options, import_paths

    db = str(sample_db[0])
    out = tmp_path / "content_plan.csv"
    args = ["experiment", "schedule", "--brand", "lumi_tea", "--db", db, "--id", "question-cta"]
    args += ["--experiments", str(EXPERIMENTS), "--per-week", "3", "--out", str(out)]
    assert main(args) == 0
    # 3 a week over 61 days (Sep 1 to Oct 31): round(3 x 61 / 7) = 26 slots, 13 each
    assert "26 slots, A 13, B 13" in capsys.readouterr().out
    con = store.open_store(tmp_path / "s.duckdb")
    (result,) = import_paths(con, [out], Options(brand="lumi_tea"))
    assert result.status == "imported", result.error
    plan = store.read(con, "content_plan", brand="lumi_tea")
    assert len(plan) == 26 and set(plan["platform"]) == {"instagram"}
    assert plan["planned_time"].eq("20:00").all()
    assert plan["note"].str.contains("#試A").sum() == 13
    assert main([*args[:-2], "--out", str(out), "--time", "8pm"]) == 2
