"""SOP step 內容測試: the brand's organic A/B tests read against the store, each analysed by
``experiments.analyze`` as the data stood at the end of a month, and candidate tests from the
month's differences that lack evidence. One :class:`Tests` serves the page, the dashboard, the
retrospective and ``socialkpi experiment``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pandas as pd

from socialkpi import store
from socialkpi.config import REPO, brands, environment
from socialkpi.metrics.periods import parse_period
from socialkpi.reads.posts import posts_of
from socialkpi.steps.experiments import analysis as experiments
from socialkpi.store.cache import cached

EXPERIMENTS_DIR = REPO / "data" / "experiments"


def experiments_file(brand: str, folder: str | Path | None = None) -> Path:
    """The brand's experiment file: in ``folder``, else ``$SOCIALKPI_EXPERIMENTS``, else the
    project's ``data/experiments``."""
    root = folder or environment().experiments or EXPERIMENTS_DIR
    return brands.file_for(root, brand)


def load(brand: str, folder: str | Path | None = None) -> experiments.ExperimentsFile | None:
    """The brand's experiments, checked (``ExperimentError`` names any problem); None when
    the brand has no file yet."""
    path = experiments_file(brand, folder)
    if not path.is_file():
        return None
    found = experiments.load_experiments(path)
    if found.brand != brand:
        raise experiments.ExperimentError(
            f"{path}: the file is for brand {found.brand!r}, not {brand!r}; fix its brand:"
        )
    return found


def data_end(con, brand: str, platforms=None) -> date | None:
    """The brand's last day of data on ``platforms`` (all of them if None): its newest daily
    account row or post export, whichever is later; what a test can have seen. Another
    brand's newer data says nothing about this one's."""
    days = store.freshness(con, brand)
    if platforms:
        days = {p: d for p, d in days.items() if p in platforms}
    return max((date.fromisoformat(str(d)[:10]) for d in days.values()), default=None)


def experiment_posts(con, brand: str, experiment: experiments.Experiment) -> pd.DataFrame:
    """The posts of the experiment's platforms and period, with per-post KPIs and the local
    ``day``."""
    span = f"{experiment.start:%Y-%m-%d}..{experiment.end:%Y-%m-%d}"
    posts = posts_of(con, brand, span, experiment.platforms or None)
    local = pd.to_datetime(posts["published_local"])
    return posts.assign(day=local.dt.tz_localize(None).dt.normalize())


def weekly_pace(con, brand: str, platform: str, last: date, weeks: int = 13) -> float:
    """Posts a week on ``platform`` over the ``weeks`` weeks ending on ``last``."""
    first = last - timedelta(weeks=weeks) + timedelta(days=1)
    posts = posts_of(con, brand, f"{first:%Y-%m-%d}..{last:%Y-%m-%d}", [platform])
    return len(posts) / weeks


@dataclass(frozen=True)
class Result:
    """One experiment and what its posts showed by ``as_of``."""

    experiment: experiments.Experiment
    analysis: experiments.Analysis
    as_of: date

    @property
    def finished(self) -> bool:
        """Ended by ``as_of`` (whatever the verdict)."""
        return self.experiment.end <= self.as_of


@cached(16)
def analyze(con, brand: str, experiment: experiments.Experiment, as_of: date) -> Result:
    """One experiment as the data stood on ``as_of`` (kept by the experiment's content: an
    edited test is a new key)."""
    posts = experiment_posts(con, brand, experiment)
    posts = posts[posts["day"] <= pd.Timestamp(as_of)]
    return Result(experiment, experiments.analyze(posts, experiment, as_of), as_of)


def month_results(con, brand: str, month: str, folder=None) -> list[Result]:
    """The experiments that ran in the month (their period meets it), as the data stood at
    its end (or the brand's last day of data, if earlier); running ones first, then by end."""
    found = load(brand, folder)
    if found is None:
        return []
    p = parse_period(month)
    first, last = p.start, p.end - timedelta(days=1)
    as_of = min(last, data_end(con, brand) or last)
    month_tests = [e for e in found.experiments if e.start <= last and e.end >= first]
    results = [analyze(con, brand, e, as_of) for e in month_tests]
    return sorted(results, key=lambda r: (r.finished, r.experiment.end, r.experiment.id))
