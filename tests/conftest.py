from datetime import date
from pathlib import Path

import pytest

from socialkpi import store
from socialkpi.ingest import Options, import_paths

FIXTURES = Path(__file__).parent / "fixtures"
EXPORT_DAY = date(2026, 10, 31)


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
        post = pd.DataFrame({"brand": ["lumi_tea"], "platform": ["facebook"], "post_id": ["evil"],
                             "snapshot_date": ["2026-10-31"], "published_at": [pd.Timestamp("2026-10-10 02:00", tz="UTC")],
                             "caption": [caption], "reach": [10**7], "reactions": [10**6]})  # fmt: skip
        store.upsert(connection, "posts", post)
        connection.close()
        return db

    return _make
