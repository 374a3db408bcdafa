"""Inputs are bounded: a ZIP member, an archive, an .xlsx's parts and a CSV cell over their
limits are refused before they are unpacked, each naming the setting that raises it."""

import io
import subprocess
import sys
import textwrap
import zipfile

import pytest

from socialkpi import store
from socialkpi.ingest import Options, import_paths
from tests.conftest import EXPORT_DAY, FIXTURES


def _import(con, path, **options):
    (result,) = import_paths(con, [path], Options("acme", EXPORT_DAY, **options))
    return result


def _zip_of_zeros(path, megabytes: int, name: str = "Overview.csv") -> None:
    """A member of ``megabytes`` MB that packs to a few kilobytes, written in chunks."""
    with (
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z,
        z.open(name, "w", force_zip64=True) as member,
    ):
        member.write(b"Date,Video Views\n")
        chunk = b"0" * 2**20
        for _ in range(megabytes):
            member.write(chunk)


def test_a_zip_bomb_is_refused_by_its_ratio_before_it_is_unpacked(con, tmp_path):
    bomb = tmp_path / "export.zip"
    _zip_of_zeros(bomb, 64)
    assert bomb.stat().st_size < 2**20
    result = _import(con, bomb)
    assert result.status == "failed"
    assert "times its packed size (64 MB), over the limit of 200 (SOCIALKPI_MAX_ZIP_RATIO)" in (
        result.error
    )
    assert "SOCIALKPI_MAX_ZIP_RATIO=" in result.error and store.counts(con).empty


def test_a_member_over_the_file_limit_names_the_setting(con, tmp_path, monkeypatch):
    monkeypatch.setenv("SOCIALKPI_MAX_FILE_MB", "1")
    path = tmp_path / "export.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as z:
        z.writestr("Overview.csv", b"Date,Video Views\n" + b"1\n" * 2**20)
    result = _import(con, path)
    assert "the member unpacks to 3 MB, over the limit of 1 MB (SOCIALKPI_MAX_FILE_MB)" in (
        result.error
    )
    assert "raise the limit: SOCIALKPI_MAX_FILE_MB=3" in result.error


@pytest.mark.slow
def test_the_bomb_cannot_exhaust_memory(tmp_path):
    """A 3 GB member packed into a few megabytes, walked in a process allowed 300 MB more
    than it has mapped: it is
    refused from its header, so the process never holds it (a regression dies of MemoryError
    instead of passing)."""
    bomb = tmp_path / "export.zip"
    _zip_of_zeros(bomb, 3 * 1024)
    code = textwrap.dedent(
        f"""
        import resource, sys
        from pathlib import Path
        from socialkpi.ingest._pipeline import Unread, _walk
        # what the interpreter and its libraries map already, plus 300 MB
        mapped = int(open("/proc/self/statm").read().split()[0]) * resource.getpagesize()
        resource.setrlimit(resource.RLIMIT_AS, (mapped + 300 * 2**20, mapped + 300 * 2**20))
        found = [data for *_, data in _walk(Path({str(bomb)!r}))]
        assert len(found) == 1 and isinstance(found[0], Unread), found
        print(found[0].problem)
        """
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "the member unpacks to 3,073 MB, over the limit of 1,024 MB" in done.stdout


def test_a_workbook_whose_strings_unpack_too_far_is_refused(con, tmp_path, monkeypatch):
    monkeypatch.setenv("SOCIALKPI_MAX_WORKBOOK_MB", "1")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/sharedStrings.xml", "<sst>" + "<si><t>lol</t></si>" * 200_000 + "</sst>")
    path = tmp_path / "linkedin_content.xlsx"
    path.write_bytes(buffer.getvalue())
    result = _import(con, path)
    assert result.status == "failed"
    assert "over the limit of 1 MB (SOCIALKPI_MAX_WORKBOOK_MB)" in result.error
    assert "its largest part is xl/sharedStrings.xml (3 MB)" in result.error


def test_a_cell_longer_than_the_limit_names_its_line(con, tmp_path):
    text = (FIXTURES / "good/meta_facebook_posts.csv").read_text("utf-8-sig").splitlines()
    text.insert(2, text[1].replace("新品上市！", '"' + "x" * (2 * 2**20)))  # a quote never closed
    path = tmp_path / "posts.csv"
    path.write_text("\n".join(text) + "\n", "utf-8")
    result = _import(con, path)
    assert result.status == "failed"
    assert "line 3: a cell longer than 1,024 KB, the limit (SOCIALKPI_MAX_CELL_KB)" in result.error
    assert "a quote that never closes" in result.error


@pytest.mark.parametrize("value", ["0", "-3", "lots"])
def test_a_limit_set_to_nonsense_is_refused(monkeypatch, value):
    from socialkpi.config.limits import limits

    monkeypatch.setenv("SOCIALKPI_MAX_ZIP_RATIO", value)
    with pytest.raises(ValueError, match="SOCIALKPI_MAX_ZIP_RATIO=.*expected a whole number"):
        limits()
