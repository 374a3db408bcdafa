"""Paths from user input stay inside their root; files are written whole, with usual modes."""

import os
import stat

import pytest

from socialkpi.files import UnsafePath, inside, write_atomically


def test_inside_accepts_paths_below_the_root(tmp_path):
    assert inside(tmp_path, "2026-10", "lumi_tea") == tmp_path.resolve() / "2026-10" / "lumi_tea"
    assert inside(tmp_path, "a/../b") == tmp_path.resolve() / "b"


@pytest.mark.parametrize("part", ["..", "../x", "a/../../x", "/etc"])
def test_inside_refuses_paths_that_leave(tmp_path, part):
    with pytest.raises(UnsafePath, match="would lead outside"):
        inside(tmp_path / "root", part)


def test_inside_refuses_a_symlink_that_leads_out(tmp_path):
    (tmp_path / "root").mkdir()
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "root" / "link").symlink_to(tmp_path / "elsewhere")
    with pytest.raises(UnsafePath):
        inside(tmp_path / "root", "link", "file.html")


def test_new_files_get_the_umask_mode(tmp_path):
    old = os.umask(0o022)
    try:
        write_atomically(tmp_path / "page.html", "<p>hi</p>")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "page.html").stat().st_mode) == 0o644


def test_a_replaced_file_keeps_its_mode(tmp_path):
    path = tmp_path / "goals.yaml"
    path.write_text("old", "utf-8")
    path.chmod(0o600)
    write_atomically(path, "new")
    assert path.read_text("utf-8") == "new"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path):
    path = tmp_path / "page.html"
    path.write_text("old", "utf-8")
    with pytest.raises(TypeError):
        write_atomically(path, None)
    assert path.read_text("utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["page.html"]


def test_a_read_only_folder_names_the_file_asked_for_and_leaves_no_temp(tmp_path, monkeypatch):
    import errno

    def refuse(src, dst):
        raise OSError(errno.EROFS, "Read-only file system", str(src))

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(OSError) as caught:
        write_atomically(tmp_path / "report.html", "x")
    assert caught.value.filename == str(tmp_path / "report.html")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("code", "said"),
    [
        ("ENOSPC", "the disk is full (free some space, or write to another folder)"),
        ("EROFS", "the folder is read-only or not yours"),
        ("EACCES", "the folder is read-only or not yours"),
        ("ENOTDIR", "a file and a folder have the same name there"),
    ],
)
def test_a_write_problem_is_said_in_words(code, said):
    import errno

    from socialkpi.files import write_problem

    message = write_problem(OSError(getattr(errno, code), os.strerror(getattr(errno, code)), "o/x"))
    assert message.startswith("cannot write o/x: ") and said in message
