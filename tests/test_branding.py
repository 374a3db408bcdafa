"""White-label per brand (``brands.yaml``'s ``branding``): the logo, colours, font and sender
name are checked at import, kept in the store, and applied to the brand's pages, its own index
and its cards; a brand without one keeps socialkpi's look, and no brand's look leaks onto
another's pages."""

import base64
import re

import pytest

from socialkpi import store
from socialkpi.config.branding import contrast
from socialkpi.ingest import import_paths
from socialkpi.ingest._errors import ExportError
from socialkpi.presentation.look import Look, look_of
from tests.conftest import FIXTURES

SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>'
PNG = base64.b64decode(  # a 1x1 PNG
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


def _folder(tmp_path, brands_yaml: str, files: dict[str, bytes] | None = None):
    root = tmp_path / "exports"
    (root / "acme").mkdir(parents=True)
    (root / "acme" / "Oct-01-2026_Oct-31-2026_1.csv").write_bytes(
        (FIXTURES / "good/meta_facebook_posts.csv").read_bytes()
    )
    (root / "brands.yaml").write_text(brands_yaml, "utf-8")
    for name, data in (files or {}).items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(data)
    return root


def test_a_brands_look_is_read_at_import_and_kept_in_the_store(con, tmp_path):
    root = _folder(
        tmp_path,
        "acme:\n  branding:\n    logo: logos/acme.svg\n    colour: '#0F766E'\n"
        "    font: Noto Serif CJK TC\n    sender_name: {zh-TW: 艾克米行銷部, en: Acme Marketing}\n",
        {"logos/acme.svg": SVG},
    )
    (result,) = import_paths(con, [root])
    assert result.status == "imported", result.error
    look = store.branding(con, "acme")
    assert look["logo"] == "data:image/svg+xml;base64," + base64.b64encode(SVG).decode()
    assert look["colour"] == "#0f766e" and look["font"] == "Noto Serif CJK TC"
    assert look_of(look).sender_name("en") == "Acme Marketing"
    assert look_of(look).sender_name("zh-TW") == "艾克米行銷部"
    # the logo image is not taken for an export
    assert store.brand_timezones(con) == {"acme": "Asia/Taipei"}


def test_a_brand_listed_without_a_look_gets_socialkpis_back(con, tmp_path):
    root = _folder(tmp_path, "acme:\n  branding: {colour: '#0f766e'}\n")
    import_paths(con, [root])
    assert store.branding(con, "acme") == {"colour": "#0f766e"}
    (root / "brands.yaml").write_text("acme:\n  timezone: Asia/Taipei\n", "utf-8")
    import_paths(con, [root])  # the same export again: skipped, and brands.yaml applied
    assert store.branding(con, "acme") == {}
    assert look_of(store.branding(con, "acme")) == Look()


@pytest.mark.parametrize(
    ("branding", "files", "said"),
    [
        ("{logo: logos/none.svg}", {}, "logo 'logos/none.svg': no such file beside brands.yaml"),
        ("{logo: ../../etc/passwd}", {}, "is outside the folder of brands.yaml"),
        ("{logo: logo.txt}", {"logo.txt": b"hello"}, "is not a PNG, JPEG or SVG image"),
        (
            "{logo: big.png}",
            {"big.png": PNG + b"\0" * 300_000},
            "is 293 KB; a logo may be at most 256 KB",
        ),
        ("{colour: teal}", {}, "colour 'teal' is not a colour (write e.g. \"#0f766e\")"),
        ("{heading_colour: '#ffd400'}", {}, "heading_colour #ffd400 is too light to read on white"),
        ("{font: 'Inter; color: red'}", {}, "is not a font family name"),
        ("{colur: '#000000'}", {}, "unknown key 'colur' (did you mean 'colour'?)"),
        ("{sender_name: {fr: Acme}}", {}, "sender_name {'fr': 'Acme'} is not a name"),
        ("[red]", {}, "branding: expected a mapping"),
    ],
)
def test_a_bad_look_is_refused_before_any_import(con, tmp_path, branding, files, said):
    root = _folder(tmp_path, f"acme:\n  branding: {branding}\n", files)
    with pytest.raises(ExportError) as err:
        import_paths(con, [root])
    assert said in str(err.value), str(err.value)
    assert "brand acme: branding" in str(err.value)
    assert store.counts(con).empty


def test_a_png_logo_is_kept_as_png(con, tmp_path):
    root = _folder(tmp_path, "acme:\n  branding: {logo: acme.png}\n", {"acme.png": PNG})
    import_paths(con, [root])
    assert store.branding(con, "acme")["logo"].startswith("data:image/png;base64,iVBORw0KGgo")


def test_headings_in_a_light_brand_colour_are_darkened_until_they_read():
    light = look_of({"colour": "#ffd400"})
    assert light.accent == "#ffd400"  # rules and bars keep the brand's colour
    assert contrast(light.primary, "#ffffff") >= 7 > contrast("#ffd400", "#ffffff")
    # a heading colour the brand chose is kept as it is
    assert look_of({"colour": "#ffd400", "heading_colour": "#333333"}).primary == "#333333"
    # a dark colour needs no change: #1a365d on white is 12.1:1 (WCAG formula)
    assert look_of({"colour": "#1a365d"}).primary == "#1a365d"


def test_the_contrast_ratio_matches_the_wcag_formula():
    # black on white is (1 + 0.05) / (0 + 0.05) = 21; grey #777777 is about 4.48:1, the
    # classic example of a grey just below the 4.5:1 text minimum
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert contrast("#ffffff", "#ffffff") == pytest.approx(1.0)


# --- the sample bundle: Lumi Tea is white-labelled, Northwind Cloud is not -----------------


def test_a_branded_brands_pages_carry_its_look_and_no_other_brands(bundles):
    for lang, month_dir in bundles.items():
        sender = {"zh-TW": "製作：露米茶飲行銷部", "en": "Prepared by Lumi Tea Marketing"}[lang]
        for page in sorted((month_dir / "lumi_tea").glob("0*.html")):
            text = page.read_text("utf-8")
            assert "--skpi-accent:#0f766e" in text, page
            assert 'class="skpi-logo" src="data:image/svg+xml;base64,' in text
            assert sender in text, page
        for page in sorted((month_dir / "northwind_cloud").glob("0*.html")):
            text = page.read_text("utf-8")
            assert "#0f766e" not in text and 'class="skpi-logo"' not in text, page
            assert "Lumi Tea Marketing" not in text and "露米茶飲行銷部" not in text
            assert "--skpi-accent: #2b6cb0" in text  # socialkpi's look


def test_each_brand_has_its_own_index_with_only_its_own_brand(bundles):
    for lang, month_dir in bundles.items():
        names = {
            "lumi_tea": ("露米茶飲", "Lumi Tea"),
            "northwind_cloud": ("北風雲端", "Northwind Cloud"),
        }
        for brand, own in names.items():
            index = (month_dir / brand / "index.html").read_text("utf-8")
            other = next(n for b, n in names.items() if b != brand)
            shown = own[0] if lang == "zh-TW" else own[1]
            assert f"<h2>{shown}</h2>" in index and f'lang="{lang}"' in index
            assert other[0] not in index and other[1] not in index
            assert index.count("<section class='card'") == 1
            links = re.findall(r"href='([^']+)'", index)
            assert links and all("/" not in link for link in links)  # inside its folder
            assert all((month_dir / brand / link).is_file() for link in links)
        # the month's index: every brand, Lumi Tea's card in its colour and with its logo
        month = (month_dir / "index.html").read_text("utf-8")
        assert month.count("<section class='card'") == 2
        assert "<section class='card' style='--skpi-accent:#0f766e" in month
        assert month.count('<img class="logo"') == 1  # Lumi Tea's; Northwind Cloud has none
        assert "lumi_tea/03_kpi_review.html" in month


def test_the_outbox_of_held_mail_is_not_a_brand(bundles, tmp_path):
    import shutil

    from socialkpi.outputs.publish import published

    month_dir = tmp_path / "2026-10"
    shutil.copytree(bundles["en"], month_dir)
    (month_dir / "outbox").mkdir()
    (month_dir / "outbox" / "lumi_tea.eml").write_text("Subject: held\n\n", "utf-8")
    assert sorted(published(month_dir)) == ["lumi_tea", "northwind_cloud"]
