"""A user's alias file extends the maps without code: header names, date formats, a daily
series' metric names, total and footer words; ``import --explain`` writes one to start from;
a file is never read as another platform's format."""

import pandas as pd
import pytest

from socialkpi import store
from socialkpi.cli import main
from socialkpi.ingest import Options, import_paths
from socialkpi.ingest._errors import ExportError
from socialkpi.ingest._explain import explain
from tests.conftest import EXPORT_DAY, FIXTURES


def _import(con, path, aliases=None, **options):
    files = (str(aliases),) if aliases else ()
    (result,) = import_paths(con, [path], Options("acme", EXPORT_DAY, alias_files=files, **options))
    return result


def test_an_alias_adds_a_date_format_to_a_renamed_column(con, tmp_path):
    text = (FIXTURES / "good/meta_facebook_posts.csv").read_text("utf-8-sig")
    text = text.replace("Publish time", "Data de publicação")
    text = text.replace("11/10/2025 21:00", "10.11.2025 21:00")  # day first, with dots
    text = text.replace("03/27/2026 06:08", "27.03.2026 06:08")
    text = text.replace("10/01/2026 12:30", "01.10.2026 12:30")
    path = tmp_path / "facebook.csv"
    path.write_text(text, "utf-8")
    names_only = tmp_path / "names.yaml"
    names_only.write_text("meta_facebook_posts:\n  published_at: [Data de publicação]\n", "utf-8")
    refused = _import(con, path, names_only)
    assert refused.status == "failed" and "10.11.2025 21:00" in refused.error
    aliases = tmp_path / "aliases.yaml"
    aliases.write_text(
        "meta_facebook_posts:\n"
        '  published_at: {names: ["Data de publicação"], formats: ["%d.%m.%Y %H:%M"]}\n',
        "utf-8",
    )
    assert _import(con, path, aliases).status == "imported"
    published = store.read(con, "posts").set_index("post_id")["published_at"]
    # 10 November 21:00 and 1 October 12:30 in Taipei (UTC+8)
    assert published["6157100000001_1001"] == pd.Timestamp("2025-11-10 13:00", tz="UTC")
    assert published["6157100000001_1003"] == pd.Timestamp("2026-10-01 04:30", tz="UTC")


def test_an_alias_names_a_daily_series_metric(con, tmp_path):
    text = (FIXTURES / "good/meta_page_daily_follows_utf16.csv").read_text("utf-16")
    path = tmp_path / "series.csv"
    path.write_text(text.replace("Facebook follows", "Facebook novos seguidores"), "utf-16")
    assert _import(con, path).status == "failed"
    aliases = tmp_path / "aliases.yaml"
    aliases.write_text(
        'meta_page_daily:\n  metrics: {"Facebook novos seguidores": [facebook, follower_gains]}\n',
        "utf-8",
    )
    assert _import(con, path, aliases).status == "imported"
    daily = store.read(con, "account_daily")
    assert daily["follower_gains"].tolist() == [20, 35, 0]
    assert set(daily["platform"]) == {"facebook"}


def test_an_alias_adds_a_total_word(con, tmp_path):
    path = tmp_path / "Totals.csv"
    path.write_text("Date,Views\n2025-06-12,40\n2025-06-13,55\nTotaal,95\n", "utf-8")
    refused = _import(con, path, platform="youtube")
    assert refused.status == "failed" and "Totaal" in refused.error
    aliases = tmp_path / "aliases.yaml"
    aliases.write_text("furniture:\n  total: [Totaal]\n", "utf-8")
    result = _import(con, path, aliases, platform="youtube")
    assert result.status == "imported", result.error
    assert store.read(con, "account_daily")["views"].tolist() == [40, 55]


def test_a_bad_alias_file_is_named_with_a_fix(con, tmp_path):
    path = FIXTURES / "good/meta_facebook_posts.csv"
    cases = {
        "meta_facebook_posts:\n  views: {names: [Vistas], formats: ['%d/%m/%Y']}\n": (
            "holds no dates"
        ),
        "meta_facebook_posts:\n  published_at: {names: [Fecha], formats: [dd/mm/yyyy]}\n": (
            "is not a date format"
        ),
        "meta_page_daily:\n  metrics: {Seguidores: [myspace, followers]}\n": "expected [platform",
        "furniture:\n  subtotal: [Sub]\n": "expected total or footer",
        "furniture: [Totaal]\n": "expected total: and footer:",
        "meta_facebook_posts: [Vistas]\n": "expected its fields",
        "- just a list\n": "mapping of formats",
    }
    for i, (text, said) in enumerate(cases.items()):
        aliases = tmp_path / f"aliases{i}.yaml"
        aliases.write_text(text, "utf-8")
        with pytest.raises(ExportError) as err:
            _import(con, path, aliases)
        assert said in str(err.value) and str(aliases) in str(err.value), text
        assert "Fix:" in str(err.value) or "use" in str(err.value)
    assert store.counts(con).empty


def test_explain_names_the_missing_roles_and_writes_an_alias_file(con, tmp_path, capsys):
    text = (FIXTURES / "good/meta_instagram_posts_reordered.csv").read_text("utf-8-sig")
    text = text.replace("Publish time", "Hora de publicación").replace("Post ID", "Identificador")
    path = tmp_path / "instagram.csv"
    path.write_text(text, "utf-8")
    said = explain(path)
    assert "closest format Meta Business Suite Instagram post export (meta_instagram_posts)" in said
    assert "missing: post_id" in said and "missing: published_at" in said
    template = said.split("alias file", 1)[1]
    assert "meta_instagram_posts:" in template and "REPLACE" in template
    # the alias file, its placeholders replaced by the file's own headers, imports the file
    aliases = tmp_path / "aliases.yaml"
    yaml_text = template[template.index("# aliases") :]
    yaml_text = yaml_text.replace(
        "REPLACE with the file's column for Post ID", "Identificador"
    ).replace("REPLACE with the file's column for Publish time", "Hora de publicación")
    aliases.write_text(yaml_text, "utf-8")
    assert _import(con, path, aliases).status == "imported"
    assert main(["import", str(path), "--explain", "--db", str(tmp_path / "x.duckdb")]) == 0
    assert "missing: published_at" in capsys.readouterr().out
    assert not (tmp_path / "x.duckdb").exists()  # --explain imports nothing


def test_the_closest_format_is_never_another_platforms(con, tmp_path):
    """An Instagram file missing its post id is told about the Instagram export, not the
    Facebook one its other headers resemble as much."""
    text = (FIXTURES / "good/meta_instagram_posts_reordered.csv").read_text("utf-8-sig")
    path = tmp_path / "posts.csv"
    path.write_text(text.replace("Post ID", "Identificador"), "utf-8")
    result = _import(con, path)
    assert result.status == "failed"
    assert "Instagram" in result.error and "Facebook" not in result.error


def test_a_file_whose_links_are_another_platforms_is_refused(con, tmp_path):
    text = (FIXTURES / "good/meta_facebook_posts.csv").read_text("utf-8-sig")
    path = tmp_path / "posts.csv"
    path.write_text(text.replace("www.facebook.com/", "www.instagram.com/p/"), "utf-8")
    result = _import(con, path)
    assert result.status == "failed"
    assert "its links are instagram's" in result.error and "--explain" in result.error
    assert store.counts(con)["rows"].sum() == 0


def test_explain_a_file_in_an_unknown_language_names_its_own_columns(tmp_path):
    path = tmp_path / "thong-ke.csv"
    path.write_text("Khung giờ,Lượt\n9,5\n", "utf-8")
    said = explain(path)
    assert "none of its column names belongs to an export socialkpi knows" in said
    assert '"Khung giờ", "Lượt"' in said and "closest format" not in said


def test_explain_agrees_with_the_import_and_walks_folders_and_zips(tmp_path):
    import zipfile

    good = tmp_path / "in" / "Table data.csv"
    good.parent.mkdir()
    good.write_text("Geography,Views,Watch time (hours),Subscribers\nTotal,10,1,0\nTW,10,1,0\n")
    (tmp_path / "in" / "brands.yaml").write_text("acme: {}\n")
    with zipfile.ZipFile(tmp_path / "in" / "export.zip", "w") as z:
        z.write(FIXTURES / "good/youtube_table_data.csv", "Table data.csv")
    said = explain(tmp_path / "in")
    assert "reads as YouTube Studio table data (by geography) (youtube_geography)" in said
    assert "export.zip!Table data.csv" in said and "(youtube_table)" in said
    assert "brands.yaml" not in said
    assert explain(tmp_path / "nowhere.csv").endswith("no such file or folder")


def test_captions_linking_elsewhere_do_not_decide_the_platform(con, tmp_path):
    """Only the post's own link column counts: a Facebook post export whose captions all
    link to the brand's Instagram is still a Facebook export."""
    text = (FIXTURES / "good/meta_facebook_posts.csv").read_text("utf-8-sig")
    text = text.replace("新品上市！", "新品上市 https://instagram.com/lumi").replace(
        "Read our story", "Read https://www.instagram.com/lumi"
    )
    path = tmp_path / "posts.csv"
    path.write_text(text, "utf-8")
    result = _import(con, path)
    assert result.status == "imported", result.error
    assert set(store.read(con, "posts")["platform"]) == {"facebook"}
