"""Settings files are checked as one schema: a mistake is a message naming the file, the
line or key, what was expected and what to write; nothing is stored from a bad file, and a
file built to exhaust memory is refused before it can."""

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from socialkpi import store
from socialkpi.config import brands
from socialkpi.config.settings import SettingsError, read_yaml
from socialkpi.ingest import import_paths
from socialkpi.ingest._errors import ExportError
from socialkpi.metrics.goals import GoalsError, load_goals
from tests.conftest import FIXTURES


def _folder(tmp_path, brands_yaml: str) -> Path:
    root = tmp_path / "exports"
    (root / "acme").mkdir(parents=True)
    (root / "acme" / "Oct-01-2026_Oct-31-2026_1.csv").write_bytes(
        (FIXTURES / "good/meta_facebook_posts.csv").read_bytes()
    )
    (root / "brands.yaml").write_text(brands_yaml, "utf-8")
    return root


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("acme:\n  timezone: 12\n", "brand acme: timezone 12 is not an IANA time zone"),
        ("acme:\n  timezone: Asia/Taipe\n", "timezone 'Asia/Taipe' is not an IANA time zone"),
        (
            "acme:\n  engagement_rate: engagement_rate_reech\n",
            "engagement_rate 'engagement_rate_reech' is not an engagement-rate definition "
            "(engagement_rate_reach, engagement_rate_exposure, engagement_rate_followers)",
        ),
        ("acme:\n  timzone: Asia/Taipei\n", "unknown key 'timzone' (did you mean 'timezone'?)"),
        ("acme:\n  timezone: Asia/Taipei\n   name: x\n", "line 3, column 8"),
        ("- acme\n- north\n", "the file: expected a mapping of keys to values, found a list"),
        ("acme: [Asia/Taipei]\n", "brand acme: expected its settings (a mapping), found a list"),
        ("index.html:\n  timezone: UTC\n", "could be mistaken for one of the report bundle's"),
        ("acme:\n  sentiment: magic\n", "sentiment 'magic' is not a sentiment scorer (lexicon)"),
    ],
)
def test_a_bad_brands_file_is_refused_before_any_import(con, tmp_path, text, said):
    root = _folder(tmp_path, text)
    with pytest.raises(ExportError) as err:
        import_paths(con, [root])
    message = str(err.value)
    assert said in message, message
    assert str(root / "brands.yaml") in message and "Fix:" in message
    assert store.counts(con).empty and store.brand_timezones(con) == {}


def test_every_problem_of_the_brands_file_is_named_at_once(con, tmp_path):
    root = _folder(tmp_path, "acme:\n  timezone: 12\n  currency: NTD\nnorth:\n  colour: red\n")
    with pytest.raises(ExportError) as err:
        import_paths(con, [root])
    assert "3 problems" in str(err.value)
    assert "currency 'NTD' is not an ISO 4217 code" in str(err.value)
    assert "brand north: unknown key 'colour'" in str(err.value)


def test_a_good_brands_file_still_imports(con, tmp_path):
    root = _folder(tmp_path, "acme:\n  timezone: Asia/Tokyo\n  currency: twd\n  country: jp\n")
    (result,) = import_paths(con, [root])
    assert result.status == "imported"
    assert store.brand_timezones(con) == {"acme": "Asia/Tokyo"}
    assert store.brand_settings(con, "acme")["currency"] == "TWD"
    assert store.brand_settings(con, "acme")["country"] == "JP"


def test_a_country_without_a_holiday_calendar_is_named(con, tmp_path):
    root = _folder(tmp_path, "acme:\n  country: Taiwan\n")
    with pytest.raises(ExportError, match="country 'Taiwan' is not a country code with a holiday"):
        import_paths(con, [root])


def test_the_choices_brands_yaml_is_checked_against_are_the_ones_the_metrics_have(con, tmp_path):
    """config checks brands.yaml below the metrics layer: its scorer and engagement-rate names
    are the ones metrics implements, and a name that is not one is refused."""
    from socialkpi import config, metrics
    from socialkpi.metrics import sentiment

    assert set(config.SCORERS) == set(sentiment.SCORERS)
    assert list(config.engagement_rate_ids()) == metrics.engagement_rate_ids()
    (tmp_path / "brands.yaml").write_text("acme:\n  sentiment: bert\n", "utf-8")
    with pytest.raises(ExportError, match="bert"):
        import_paths(con, [tmp_path])


def test_the_environment_is_read_in_one_place():
    from socialkpi.config import Environment, environment

    env = environment({"SOCIALKPI_ACTIONS": "/a", "SOCIALKPI_LOG": "", "OTHER": "x"})
    assert env == Environment(actions="/a")
    assert Environment.variable("chromium") == "SOCIALKPI_CHROMIUM"


def test_a_day_that_does_not_exist_in_a_goals_file(tmp_path):
    path = tmp_path / "acme.yaml"
    path.write_text(
        "brand: acme\ngoals:\n  - kpi: reach\n    target_value: 5000\n    start: 2026-02-01\n"
        "    end: 2026-02-30\n",
        "utf-8",
    )
    with pytest.raises(GoalsError) as err:
        load_goals(path)
    assert f"{path}: line 6: '2026-02-30' is not a day that exists" in str(err.value)
    assert "Fix: write a day that exists" in str(err.value)


def test_a_misspelled_goal_key_gets_the_closest_one(tmp_path):
    path = tmp_path / "acme.yaml"
    path.write_text(
        "brand: acme\ngoals:\n  - kpi: reach\n    targte: 5000\n",
        "utf-8",
    )
    with pytest.raises(GoalsError) as err:
        load_goals(path)
    assert "goals[0].targte: unknown key 'targte' (did you mean 'target'?)" in str(err.value)


def test_yaml_aliases_are_refused(tmp_path):
    path = tmp_path / "brands.yaml"
    path.write_text("a: &x {timezone: UTC}\nb: *x\n", "utf-8")
    with pytest.raises(SettingsError, match="line 2: a YAML alias"):
        read_yaml(path)


def test_a_billion_laughs_file_fails_fast_under_a_memory_limit(tmp_path):
    """Nine levels of nine aliases (about 400 million strings if expanded) in 500 bytes:
    refused at the first alias, in a process allowed 400 MB (a regression would die)."""
    lines = ['l0: &l0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 9):
        refs = ",".join([f"*l{i - 1}"] * 9)
        lines.append(f"l{i}: &l{i} [{refs}]")
    root = tmp_path / "exports"
    root.mkdir()
    (root / "brands.yaml").write_text("\n".join(lines) + "\n", "utf-8")
    code = textwrap.dedent(
        f"""
        import resource, sys
        resource.setrlimit(resource.RLIMIT_AS, (400 * 2**20, 400 * 2**20))
        from socialkpi.config.settings import SettingsError, brands_file
        try:
            brands_file({str(root / "brands.yaml")!r})
        except SettingsError as err:
            sys.exit(str(err))
        """
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert done.returncode == 1, done.stderr[-2000:]
    assert "line 2: a YAML alias (*l0)" in done.stderr


def test_reserved_names_are_no_brand_or_experiment_ids():
    for name in ("index.html", "run.json", "Run.JSON", "status.json", "acme.pdf"):
        with pytest.raises(brands.BrandNameError, match="report bundle's own files"):
            brands.check(name)
    assert brands.check("acme.tw") == "acme.tw"
