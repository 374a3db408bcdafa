"""Where one brand's bundle spends its time (issue #34, "profile first").

Two measurements of the sample brand's latest month, written to
``bench/results/profile_bundle.jsonl`` (and the top functions to ``profile_bundle.txt``):

1. **Phases of a real render** (``runner.render``, one warm kernel per brand): kernel start,
   the notebooks' execution, the kernel resets between them, the pages' nbconvert HTML; and
   the floor (Papermill runs of a notebook that only imports socialkpi, as many as the bundle
   has pages, each in a new kernel), also with the imports every page needs.
2. **Inside the notebooks** (cProfile): the bundle notebooks' code cells run in one in-process
   IPython shell, as the kernel runs them (parameters injected, headless, every display
   formatted), with the time grouped by where it goes: store queries (DuckDB), charts (Altair
   and vl-convert), tables (great_tables), pandas, the rest.

    python bench/profile_bundle.py [--brand lumi_tea] [--lang zh-TW]

``SORT`` (a pstats order, default ``cumulative``) and ``TOP`` (default 60) shape the function
list in ``profile_bundle.txt``.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import io
import json
import os
import pstats
import tempfile
import time
from pathlib import Path

import nbformat
from _results import RESULTS, record
from report_bench import floor

from socialkpi import store
from socialkpi.config import REPO
from socialkpi.ingest import import_paths
from socialkpi.outputs import runner

# where a function's own time is counted, by the file it lives in (first match wins)
GROUPS = (
    ("store queries (DuckDB)", ("duckdb",)),
    ("charts (Altair, vl-convert)", ("altair", "vl_convert", "vegafusion", "jsonschema")),
    ("tables (great_tables)", ("great_tables",)),
    ("pandas and numpy", ("pandas", "numpy")),
    ("statistics (scipy, statsmodels)", ("scipy", "statsmodels")),
    ("socialkpi", ("socialkpi",)),
    ("IPython display", ("IPython", "ipykernel", "traitlets")),
)


def _store(tmp: Path) -> tuple[Path, str]:
    db = tmp / "profile.duckdb"
    con = store.open_store(db)
    import_paths(con, [REPO / "data" / "sample"])
    month = store.latest_complete_month(con)
    con.close()
    return db, month


def phases(db: Path, month: str, brand: str, lang: str, tmp: Path) -> dict:
    """One real render, split: kernel start, Papermill execution, kernel resets between
    notebooks, nbconvert HTML, and the rest (reading the header, writing files)."""
    import papermill

    timings: dict[str, float] = {}
    patched = {
        (papermill, "execute_notebook"): "execute",
        (runner, "_start_kernel"): "kernel_start",
        (runner, "_reset"): "kernel_reset",
        (runner, "_render"): "html",
    }
    real = {key: getattr(*key) for key in patched}

    def timed(name, fn):
        def wrapper(*args, **kwargs):
            start = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                timings[name] = timings.get(name, 0.0) + time.perf_counter() - start

        return wrapper

    for (owner, attr), name in patched.items():
        setattr(owner, attr, timed(name, real[(owner, attr)]))
    (tmp / "pages").mkdir()
    start = time.perf_counter()
    try:
        goals = REPO / "data" / "goals" / f"{brand}.yaml"
        result = runner.render(brand, month, lang, list(runner.NOTEBOOKS), tmp / "pages", db, goals)
    finally:
        for (owner, attr), fn in real.items():
            setattr(owner, attr, fn)
    total = time.perf_counter() - start
    if result.failed:
        raise RuntimeError(f"pages failed: {result.failed}")
    out = {"total_s": round(total, 2)}
    out |= {f"{name}_s": round(timings.get(name, 0.0), 2) for name in patched.values()}
    out["other_s"] = round(total - sum(timings.values()), 2)
    return out


def inside(db: Path, month: str, brand: str, lang: str) -> tuple[dict, dict, str]:
    """cProfile over the bundle notebooks' cells in one IPython shell: seconds per notebook,
    seconds per group, and the top functions by cumulative time."""
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    params = {
        "brand": brand,
        "month": month,
        "db": str(db),
        "goals": "",
        "lang": lang,
        "platforms": [],
        "interactive": False,
    }
    per_notebook, profile = {}, cProfile.Profile()
    os.chdir(REPO / "notebooks")
    for name in runner.NOTEBOOKS.values():
        nb = nbformat.read(REPO / "notebooks" / f"{name}.ipynb", as_version=4)
        cells = [c.source for c in nb.cells if c.cell_type == "code"]
        shell.reset(new_session=False)
        shell.run_cell(cells[0])  # the defaults, then the bundle's parameters
        shell.user_ns.update(params)
        start = time.perf_counter()
        profile.enable()
        for source in cells[1:]:
            with contextlib.redirect_stdout(io.StringIO()):  # the shell echoes each display
                result = shell.run_cell(source)
            if not result.success:
                raise RuntimeError(f"{name}: {result.error_in_exec or result.error_before_exec}")
        profile.disable()
        per_notebook[name] = round(time.perf_counter() - start, 2)
    stats = pstats.Stats(profile)
    groups = {label: 0.0 for label, _ in GROUPS} | {"other": 0.0}
    for (path, _, _), (_, _, own, _, _) in stats.stats.items():
        label = next((g for g, keys in GROUPS if any(f"/{k}/" in path for k in keys)), "other")
        groups[label] += own
    text = io.StringIO()
    pstats.Stats(profile, stream=text).sort_stats(os.environ.get("SORT", "cumulative")).print_stats(
        int(os.environ.get("TOP", "60"))
    )
    return per_notebook, {k: round(v, 2) for k, v in groups.items()}, text.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--brand", default="lumi_tea")
    parser.add_argument("--lang", default="zh-TW")
    parser.add_argument("--label", default="", help="what is measured, e.g. the commit")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        os.environ["SOCIALKPI_ACTIONS"] = str(tmp / "actions")  # not the project's data/actions
        db, month = _store(tmp)
        real = phases(db, month, args.brand, args.lang, tmp)
        base = floor(len(runner.NOTEBOOKS), tmp)
        with_imports = floor(len(runner.NOTEBOOKS), tmp, "import socialkpi.presentation.notebook")
        per_notebook, groups, top = inside(db, month, args.brand, args.lang)
    (RESULTS / "profile_bundle.txt").write_text(top, "utf-8")
    record(
        RESULTS / "profile_bundle.jsonl",
        {
            "label": args.label,
            "brand": args.brand,
            "month": month,
            "lang": args.lang,
            "pages": len(runner.NOTEBOOKS),
            "render": real,
            "floor_s": round(base, 2),
            "floor_with_page_imports_s": round(with_imports, 2),
            "ratio": round(real["total_s"] / base, 2),
            "target_ratio": 2.0,
            "in_process_s": per_notebook,
            "in_process_by_group_s": groups,
        },
    )
    print(json.dumps(groups, indent=2))


if __name__ == "__main__":
    main()
