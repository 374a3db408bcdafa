"""What every SOP notebook does first: find (or build) the store, set up charts, and show
markdown. Keeps the notebooks to parameters, narrative and calls."""

from __future__ import annotations

from pathlib import Path

from IPython.display import Markdown

from socialkpi import brands, charts, store

REPO = Path(__file__).resolve().parents[2]


def locate(path: str) -> Path:
    """A path as given, or relative to the project root (notebooks run from notebooks/)."""
    p = Path(path)
    if p.exists() or p.is_absolute():
        return p
    for base in (Path.cwd(), *Path.cwd().parents, REPO):
        candidate = (base / path).resolve()
        if candidate.exists():
            return candidate
    return (
        (REPO / Path(path.replace("../", "", 1))).resolve()
        if path.startswith("../")
        else REPO / path
    )


def open_store(db: str, interactive: bool = False):
    """Open the store's serving copy read-only (so an import can run while notebooks and
    dashboards stay open); the default store is built from the bundled sample the first time,
    so a fresh clone's notebooks run with no arguments."""
    path = locate(db)
    if not path.exists() and path.resolve() == (REPO / "data" / "socialkpi.duckdb").resolve():
        from socialkpi.ingest import import_paths

        con = store.open_store(path)
        import_paths(con, [REPO / "data" / "sample"])
        con.close()
    if not path.exists():
        raise FileNotFoundError(
            f"no store at {path}: run `make import`, or pass db=... as a parameter"
        )
    charts.setup(interactive)
    return store.open_serving(path)


def setup(brand: str, db: str, goals: str = "", platforms: list | None = None,
          interactive: bool = False):  # fmt: skip
    """What every SOP notebook does first: check the ``brand`` parameter, open the store
    (see :func:`open_store`) and load the brand's goals file (``goals``, default
    ``data/goals/<brand>.yaml``). Returns ``(con, platforms or None, goals file or None)``."""
    from socialkpi import review

    brands.check(brand)
    con = open_store(db, interactive)
    path = locate(goals) if goals else brands.file_for(REPO / "data" / "goals", brand)
    return con, list(platforms or []) or None, review.load_goals_or_none(path)


def actions_log(brand: str, actions: str = "") -> Path:
    """The brand's action log: ``actions`` if given, else ``data/actions/<brand>.yaml``."""
    return locate(actions) if actions else brands.file_for(REPO / "data" / "actions", brand)


def md(*lines: str) -> Markdown:
    return Markdown("\n\n".join(line for line in lines if line))


def bullets(lines: list[str]) -> Markdown:
    return Markdown("\n".join(f"- {line}" for line in lines))
