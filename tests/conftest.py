from datetime import date
from pathlib import Path

import pytest

from socialkpi import store
from socialkpi.ingest import Options, import_paths

FIXTURES = Path(__file__).parent / "fixtures"
EXPORT_DAY = date(2026, 10, 31)
# fixtures are data, never imported here: --doctest-modules would import the Dask worker
# preloads in fixtures/cluster/, and they patch socialkpi in the importing process
collect_ignore = ["fixtures"]


@pytest.fixture(scope="session", autouse=True)
def _action_logs_outside_the_repository(tmp_path_factory):
    """Retrospectives run by tests append to a temporary folder, never data/actions."""
    mp = pytest.MonkeyPatch()
    mp.setenv("SOCIALKPI_ACTIONS", str(tmp_path_factory.mktemp("actions")))
    yield
    mp.undo()


@pytest.fixture
def con(tmp_path):
    connection = store.open_store(tmp_path / "test.duckdb")
    yield connection
    connection.close()


@pytest.fixture
def load(con):
    """Import one fixture for brand 'acme' (export day 2026-10-31); return its result."""

    def _load(rel: str, **options):
        options = {"brand": "acme", "export_date": EXPORT_DAY, **options}
        (result,) = import_paths(con, [FIXTURES / rel], Options(**options))
        return result

    return _load


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory):
    """The bundled sample imported once per test session into a temporary store."""
    path = tmp_path_factory.mktemp("sample") / "sample.duckdb"
    connection = store.open_store(path)
    results = import_paths(connection, [FIXTURES.parent.parent / "data" / "sample"])
    connection.close()
    return path, results


@pytest.fixture
def store_with_caption(sample_db, tmp_path):
    """A copy of the sample store plus one big October post with the given caption."""
    import shutil

    import pandas as pd

    def _make(caption: str):
        db = tmp_path / "caption.duckdb"
        shutil.copy(sample_db[0], db)
        connection = store.open_store(db)
        post = pd.DataFrame(
            {
                "brand": ["lumi_tea"],
                "platform": ["facebook"],
                "post_id": ["evil"],
                "snapshot_date": ["2026-10-31"],
                "published_at": [pd.Timestamp("2026-10-10 02:00", tz="UTC")],
                "caption": [caption],
                "reach": [10**7],
                "reactions": [10**6],
            }
        )
        store.upsert(connection, "posts", post)
        connection.close()
        return db

    return _make


@pytest.fixture(scope="session")
def bundles(sample_db, tmp_path_factory, worker_id):
    """The sample month's complete report bundle, every brand and page, in both languages:
    ``{lang: month folder}``. Built once per run: under ``make test``'s workers the first to
    ask builds it in the run's shared temporary folder while the others wait on a lock, then
    all read the same pages (no test writes into them)."""
    import fcntl

    from socialkpi.outputs import bundle

    base = tmp_path_factory.getbasetemp()
    root = (base.parent if worker_id != "master" else base) / "bundles"
    root.mkdir(exist_ok=True)
    with open(root / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if not (root / ".done").exists():
            for lang in ("zh-TW", "en"):
                results = bundle.run(
                    "2026-10", ["lumi_tea", "northwind_cloud"], lang, None, root / lang, 2,
                    sample_db[0],
                )  # fmt: skip
                assert all(not r.failed for r in results), [r.failed for r in results]
            (root / ".done").touch()
    return {lang: root / lang / "2026-10" for lang in ("zh-TW", "en")}


@pytest.fixture(scope="session")
def page_data(sample_db):
    """Strings pages show as written (captions, topics, audience segments, owners, brand
    names, LINE message titles, lexicon terms): set aside when checking a page's language."""
    import yaml

    from socialkpi import store
    from socialkpi.metrics import content
    from socialkpi.metrics.sentiment import _zh_terms
    from socialkpi.words import i18n

    con = store.open_store(sample_db[0], read_only=True)
    posts = store.read(con, "posts")
    captions = posts["caption"].dropna().astype(str)
    data = {c[:80] for c in captions} | set(content.topic_of(captions).dropna())
    audience = store.read(con, "audience")
    # places, LinkedIn seniorities and job functions the catalogue names are words, not data:
    # a zh-TW page must show them in Chinese
    worded = [
        (d, s)
        for d, s in zip(audience["dimension"], audience["segment"].astype(str), strict=True)
        if d in ("city", "seniority", "job_function")
        and (i18n.city(s, "zh-TW") if d == "city" else i18n.word(d, s, "zh-TW")) != s
    ]
    data |= set(audience["segment"].dropna().astype(str)) - {s for _, s in worded}
    data |= set(store.read(con, "content_plan")["owner"].dropna().astype(str))
    data |= set(
        store.read(con, "line_messages")["title"].dropna().astype(str)
    )  # as the brand named them
    for brand in store.brand_timezones(con):
        data |= {store.brand_name(con, brand, lang) for lang in ("zh-TW", "en")}
    con.close()
    for goals_file in (FIXTURES.parent.parent / "data" / "goals").glob("*.yaml"):
        data |= {g["owner"] for g in yaml.safe_load(goals_file.read_text("utf-8"))["goals"]}
    return data | set(_zh_terms()[0])


def report_command(*args, out: Path, db: Path, actions: Path | None = None) -> list[str]:
    """``socialkpi report`` for October 2026 into ``out`` as a command line, with ``args``."""
    import sys

    extra = ["--actions", str(actions)] if actions else []
    command = [sys.executable, "-m", "socialkpi.cli", "report", "--month", "2026-10"]
    return [*command, "--out", str(out), "--db", str(db), *extra, *args]


def pytest_collection_modifyitems(items):
    """A test that reads the rendered sample bundles waits for a Papermill run of every page:
    it is slow wherever it is (make test-fast leaves it out)."""
    for item in items:
        if "bundles" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.slow)
