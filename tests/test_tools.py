"""Repository habits: notebooks are committed without outputs, and the pre-commit hooks run
what `make lint` runs."""

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def _check_notebooks():
    spec = importlib.util.spec_from_file_location(
        "check_notebooks", ROOT / "tools/check_notebooks.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _notebook(path, outputs, count):
    cell = {"cell_type": "code", "source": "1 + 1", "outputs": outputs, "execution_count": count}
    path.write_text(json.dumps({"cells": [{"cell_type": "markdown", "source": "x"}, cell]}))
    return path


def test_a_notebook_with_outputs_is_named_with_its_cell(tmp_path, capsys):
    check = _check_notebooks()
    dirty = _notebook(tmp_path / "dirty.ipynb", [{"output_type": "stream", "text": "2"}], 1)
    clean = _notebook(tmp_path / "clean.ipynb", [], None)
    assert check.main([str(clean)]) == 0
    assert check.main([str(dirty), str(clean)]) == 1
    assert f"{dirty}: cell 1 has outputs" in capsys.readouterr().out


def test_the_repositorys_notebooks_are_clean():
    assert _check_notebooks().main([]) == 0


def test_pre_commit_runs_what_make_lint_runs():
    hooks = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())["repos"][0]["hooks"]
    lint = (ROOT / "Makefile").read_text().split("\nlint:")[1].split("\n\n")[0]
    for hook in hooks:
        command = hook["entry"].replace(".venv/bin/", "$(BIN)/")
        assert command in lint, hook["id"]


def _lint_imports(package_root: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(package_root)}
    command = [str(Path(sys.executable).parent / "lint-imports"), "--no-cache", "--config"]
    return subprocess.run(
        [*command, str(ROOT / "pyproject.toml")],
        capture_output=True,
        text=True,
        env=env,
        cwd=package_root,
    )


def _add_line(path: Path, line: str) -> None:
    path.write_text(path.read_text("utf-8") + "\n" + line + "\n", "utf-8")


def test_the_layer_contracts_hold_and_catch_a_new_violation(tmp_path):
    """No ignored imports: the contracts hold as written, and both a store module importing
    an output and one SOP step importing another (inside a function) break them."""
    assert "ignore_imports" not in (ROOT / "pyproject.toml").read_text("utf-8")
    assert _lint_imports(ROOT / "lib").returncode == 0
    shutil.copytree(ROOT / "lib" / "socialkpi", tmp_path / "socialkpi")
    _add_line(tmp_path / "socialkpi/store/schema.py", "from socialkpi.outputs import bundle")
    _add_line(
        tmp_path / "socialkpi/steps/audience/page.py",
        "def _hidden():\n    from socialkpi.steps.calendar import page",
    )
    broken = _lint_imports(tmp_path)
    assert broken.returncode == 1
    assert "socialkpi.store.schema -> socialkpi.outputs.bundle" in broken.stdout
    assert "socialkpi.steps.audience.page -> socialkpi.steps.calendar.page" in broken.stdout


def test_no_import_loops_not_even_inside_functions(tmp_path):
    """tools/import_loops.py (in make lint) passes on the library and names a loop hidden by
    a function-level import inside one layer."""
    command = [sys.executable, str(ROOT / "tools/import_loops.py")]
    assert subprocess.run([*command, str(ROOT / "lib")], capture_output=True).returncode == 0
    shutil.copytree(ROOT / "lib" / "socialkpi", tmp_path / "socialkpi")
    _add_line(
        tmp_path / "socialkpi/metrics/periods.py",
        "def _hidden():\n    from socialkpi.metrics import kpi",
    )
    found = subprocess.run([*command, str(tmp_path)], capture_output=True, text=True)
    assert found.returncode == 1
    assert "socialkpi.metrics.kpi" in found.stdout and "socialkpi.metrics.periods" in found.stdout


def test_no_module_edits_the_environment_to_pass_settings():
    """Settings reach processes socialkpi starts in the environment it starts them with
    (config.environment reads them once); nothing changes this process's os.environ."""
    import re

    edits = re.compile(r"os\.environ\[[^\]]+\]\s*=|os\.environ\.(update|setdefault)|os\.putenv")
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in sorted((ROOT / "lib" / "socialkpi").rglob("*.py"))
        for number, line in enumerate(path.read_text("utf-8").splitlines(), 1)
        if edits.search(line) and ">>>" not in line
    ]
    assert offenders == []
