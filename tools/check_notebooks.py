"""Fail when a notebook carries outputs or execution counts: notebooks are committed clean, so
diffs show code, not results. Run by `make lint` and the pre-commit hook.

    python tools/check_notebooks.py [NOTEBOOK ...]   (default: notebooks/*.ipynb)
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def problems(path: Path) -> list[str]:
    """One line per code cell of ``path`` that has outputs or an execution count."""
    cells = json.loads(path.read_text("utf-8"))["cells"]
    return [
        f"{path}: cell {i} has outputs or an execution count; clear them before committing"
        for i, cell in enumerate(cells)
        if cell["cell_type"] == "code" and (cell.get("outputs") or cell.get("execution_count"))
    ]


def main(argv: list[str]) -> int:
    paths = [Path(a) for a in argv] or sorted((ROOT / "notebooks").glob("*.ipynb"))
    found = [line for path in paths for line in problems(path)]
    print("\n".join(found) or f"{len(paths)} notebooks clean")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
