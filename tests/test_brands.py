"""One rule for brand names, asked at every door a brand comes through."""

import pytest

from socialkpi import dashboard, store
from socialkpi.cli import main
from socialkpi.config import brands
from socialkpi.ingest import ExportError, Options, import_paths
from socialkpi.outputs import bundle
from socialkpi.presentation import notebook
from tests.conftest import FIXTURES

X_EXPORT = FIXTURES / "good" / "x_tweet_activity_likes.csv"


@pytest.mark.parametrize(
    "name", ["lumi_tea", "露米茶飲", "acme.tw", "a-b_c1", "ก้าวหน้า", "Café", "x" * brands.MAX_LENGTH]
)
def test_valid_names(name):
    assert brands.check(name) == name


@pytest.mark.parametrize(
    ("name", "says"),
    [
        ("../../etc", "may not start with '.'"),
        (".hidden", "may not start with '.'"),
        ("a..b", "may not contain '..'"),
        ("a/b", "'/'"),
        ("a\\b", "'\\\\'"),
        ("<b>x</b>", "'<'"),
        ("lumi tea", "' '"),
        ("a\x00b", "'\\x00'"),
        ("x" * (brands.MAX_LENGTH + 1), "longer than 64"),
        ("", "non-empty"),
    ],
)
def test_invalid_names_say_why(name, says):
    with pytest.raises(brands.BrandNameError) as err:
        brands.check(name)
    assert says in str(err.value)


def test_nfc_and_nfd_spellings_are_one_brand():
    assert brands.check("Cafe\u0301") == "Café"


def test_file_for_stays_in_its_folder(tmp_path):
    assert brands.file_for(tmp_path, "lumi_tea") == tmp_path.resolve() / "lumi_tea.yaml"
    with pytest.raises(brands.BrandNameError):
        brands.file_for(tmp_path, "../lumi_tea")


def test_cli_refuses_a_brand_flag_before_touching_anything(tmp_path, capsys):
    db = tmp_path / "w" / "brand.duckdb"
    with pytest.raises(SystemExit) as exit_:
        main(["import", str(X_EXPORT), "--brand", "../../etc", "--db", str(db)])
    assert exit_.value.code == 2
    assert "may not start with '.'" in capsys.readouterr().err
    assert not db.parent.exists()
    for command in (["kpi", "--month", "2026-10"], ["alerts"], ["report", "--month", "2026-10"]):
        with pytest.raises(SystemExit):
            main([*command, "--brand", "<b>x</b>", "--db", str(db)])
        assert "contains" in capsys.readouterr().err


def test_cli_refuses_a_month_that_is_not_a_month(tmp_path, capsys):
    with pytest.raises(SystemExit):
        main(["report", "--month", "../../2026-10", "--db", str(tmp_path / "x.duckdb")])
    assert "not understood" in capsys.readouterr().err


def test_a_folder_name_that_is_not_a_brand_name_is_refused(tmp_path, con):
    folder = tmp_path / "exports" / "<bx>"
    folder.mkdir(parents=True)
    (folder / X_EXPORT.name).write_bytes(X_EXPORT.read_bytes())
    (result,) = import_paths(con, [tmp_path / "exports"], Options(export_date=None))
    assert result.status == "failed"
    assert "brand name '<bx>' contains '<' '>'" in result.error
    assert "rename the folder" in result.error
    assert store.brand_timezones(con) == {}


def test_a_bad_key_in_brands_yaml_is_refused(tmp_path, con):
    (tmp_path / "brands.yaml").write_text("'../x': {timezone: Asia/Taipei}\n", "utf-8")
    with pytest.raises(ExportError, match="brands.yaml: brand name '../x'"):
        import_paths(con, [tmp_path])


def test_the_store_accepts_no_unchecked_brand(con):
    with pytest.raises(brands.BrandNameError):
        store.set_brand(con, "../../etc", "Asia/Taipei")


def test_a_report_for_a_bad_brand_writes_nothing(tmp_path, sample_db):
    out = tmp_path / "out"
    with pytest.raises(brands.BrandNameError):
        bundle.run("2026-10", ["../../etc"], "en", ["03"], out, 1, sample_db[0])
    with pytest.raises(ValueError, match="a report is for a month"):
        bundle.run("2026Q3", ["lumi_tea"], "en", ["03"], out, 1, sample_db[0])
    assert not out.exists()


def test_a_notebook_parameter_is_checked(sample_db):
    with pytest.raises(brands.BrandNameError):
        notebook.setup("../../etc", "2026-10", str(sample_db[0]))


def test_a_dashboard_never_offers_a_bad_brand_from_an_old_store(con):
    store.set_brand(con, "lumi_tea", "Asia/Taipei")
    con.execute(
        "INSERT INTO brands (brand, timezone) VALUES ('../x', 'Asia/Taipei')"
    )  # before the rule
    offered = dashboard.choices(con)
    assert offered["brand"] == ["lumi_tea"]
    default = dashboard.View("lumi_tea", "2026-10")
    assert dashboard.view_from_query("brand=..%2Fx", offered, default).brand == "lumi_tea"
