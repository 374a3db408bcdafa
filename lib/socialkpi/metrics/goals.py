"""A brand's goals: the 1-3 KPIs it commits to, as its goals file states them, and how each
is paced through its period (baseline, target, latest, projected, status).

Goals live in a reviewable YAML file per brand (``data/goals/<brand>.yaml``)::

    brand: lumi_tea
    goals:
      - id: ig-engagement
        objective: engagement
        kpi: engagement_rate_reach
        target: {relative: 0.10}        # or {value: 0.08}
        start: 2026-10-01
        end: 2026-12-31
        owner: Amy
        platforms: [instagram]
        priority: primary

A target is the KPI's *monthly* value to reach in the goal's last month (what the monthly
KPI review tracks). The baseline, when omitted, is the median of the three months before
the start. Growth is compared month over month.
"""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from socialkpi import metrics
from socialkpi.config.checked import known_platforms, read_checked, repeated

MAX_PRIMARY = 3


class GoalsError(ValueError):
    """A goals file that cannot be used, with every problem named by field."""


class Target(BaseModel):
    """A goal's target: a value, or a change from the baseline (absolute or relative)."""

    model_config = ConfigDict(extra="forbid")
    value: float | None = None
    relative: float | None = Field(default=None, description="+0.10 means 10% above baseline")

    @model_validator(mode="after")
    def _one(self):
        if (self.value is None) == (self.relative is None):
            raise ValueError("give exactly one of value (absolute) or relative (vs baseline)")
        if self.value is not None and not self.value >= 0:
            raise ValueError(
                f"a target value cannot be negative (got {self.value}); KPIs are counts, rates or times"
            )
        if self.relative is not None and not self.relative > -1:
            raise ValueError(
                f"a relative target must be above -1, i.e. -100% (got {self.relative})"
            )
        return self


class Goal(BaseModel):
    """One goal: the KPI, its platforms, target, period and owner, as a goals file states it."""

    model_config = ConfigDict(extra="forbid")
    id: str
    objective: Literal[
        "awareness", "engagement", "traffic", "conversion", "reputation", "responsiveness"
    ]
    kpi: str
    target: Target
    baseline: float | None = None
    start: date
    end: date
    horizon: Literal["short", "mid", "long"] | None = None
    owner: str
    platforms: list[str] = Field(default_factory=list)
    priority: Literal["primary", "secondary"] = "primary"

    @field_validator("kpi")
    @classmethod
    def _known_kpi(cls, kpi: str) -> str:
        known = metrics.dictionary()
        if kpi != "engagement_rate" and kpi not in known:
            raise ValueError(f"unknown KPI {kpi!r}; see `socialkpi metrics` for the ids")
        return kpi

    @field_validator("platforms")
    @classmethod
    def _known_platforms(cls, platforms: list[str]) -> list[str]:
        return known_platforms(platforms)

    @model_validator(mode="after")
    def _period(self):
        if self.end <= self.start:
            raise ValueError(f"end {self.end} is not after start {self.start}")
        return self

    @property
    def months(self) -> int:
        """Months the goal spans, counting its first and last month."""
        return (self.end.year - self.start.year) * 12 + self.end.month - self.start.month + 1

    @property
    def horizon_from_length(self) -> str:
        """``short`` (up to 3 months), ``mid`` (up to 12) or ``long``, from the goal's length."""
        return "short" if self.months <= 3 else "mid" if self.months <= 12 else "long"


class GoalsFile(BaseModel):
    """A brand's goals file: at most three primary goals, checked on load."""

    model_config = ConfigDict(extra="forbid")
    brand: str
    goals: list[Goal]

    @model_validator(mode="after")
    def _rules(self):
        dupes = repeated([g.id for g in self.goals])
        if dupes:
            raise ValueError(f"goal ids must be unique: {dupes}")
        primary = [g.id for g in self.goals if g.priority == "primary"]
        if len(primary) > MAX_PRIMARY:
            raise ValueError(
                f"at most {MAX_PRIMARY} primary KPIs (the SOP's rule), found {len(primary)}: {primary}"
            )
        return self


def load_goals(path: str | Path) -> GoalsFile:
    """Read and validate a goals file; every problem is reported with its field path."""
    return read_checked(path, GoalsFile, GoalsError, "goals file")


def baseline_from(history: pd.Series, start: date, months: int = 3) -> float:
    """Median of the ``months`` monthly values before ``start``."""
    before = history[[label < f"{start:%Y-%m}" for label in history.index]].dropna().tail(months)
    return float(before.median()) if len(before) else math.nan


def target_value(goal: Goal, baseline: float, whole: bool = False, better: str = "up") -> float:
    """The goal's target as a KPI value, given its baseline. A target of a KPI that counts
    whole things (``whole``) is a whole number, rounded towards the harder side: 62.86 link
    clicks to reach is 63 (a lower-is-better count rounds down).

    >>> g = Goal(id="g", objective="traffic", kpi="link_clicks", target={"relative": 0.1},
    ...          start="2026-10-01", end="2026-12-31", owner="Amy")
    >>> target_value(g, 57.14), target_value(g, 57.14, whole=True)
    (62.854000000000006, 63.0)
    """
    value = (
        goal.target.value
        if goal.target.value is not None
        else baseline * (1 + goal.target.relative)
    )
    return whole_number(value, better) if whole else value


def whole_number(value: float, better: str = "up") -> float:
    """A count's target as a whole number, rounded towards the harder side (up when more is
    better); a value within a millionth of a whole number is that number.

    >>> whole_number(62.86), whole_number(27.0000000001), whole_number(4.2, "down")
    (63.0, 27.0, 4.0)
    """
    if math.isnan(value):
        return value
    near = round(value)
    if math.isclose(value, near, abs_tol=1e-6):
        return float(near)
    return float(math.ceil(value) if better == "up" else math.floor(value))


def pace(
    goal: Goal,
    history: pd.Series,
    baseline: float,
    month: str,
    better: str = "up",
    whole: bool = False,
) -> dict:
    """Progress to the target at ``month`` and the projected value in the goal's last month.

    The projection grows the latest value by the median past change over spans as long as
    the months left; its interval uses the 10% and 90% quantiles of those changes. Status:
    on-track when the projection reaches the target, at-risk when only the favourable end of
    the interval does, else off-track.
    """
    target = target_value(goal, baseline, whole, better)
    observed = history[[label <= month for label in history.index]].dropna()
    if observed.empty or math.isnan(target):
        return {
            "status": "no-data",
            "latest": math.nan,
            "progress": math.nan,
            "projected": math.nan,
            "low": math.nan,
            "high": math.nan,
            "target": target,
        }
    latest = float(observed.iloc[-1])
    end_label = f"{goal.end:%Y-%m}"
    left = max(0, (int(end_label[:4]) - int(month[:4])) * 12 + int(end_label[5:]) - int(month[5:]))
    g = (
        growth_rates(history[[label <= month for label in history.index]], left)
        if left
        else np.array([0.0])
    )
    if len(g) == 0:
        g = np.array([0.0])
    q10, q50, q90 = np.quantile(g, [0.1, 0.5, 0.9])
    projected, a, b = (float(latest * (1 + q)) for q in (q50, q10, q90))
    if whole:  # a count is projected as a whole number, as it will be counted
        projected, a, b = (float(round(v)) for v in (projected, a, b))
    low, high = min(a, b), max(a, b)
    span = target - baseline
    improving = span > 0 if better == "up" else span < 0
    progress = (latest - baseline) / span if improving else math.nan
    if better == "up":
        status = "on-track" if projected >= target else "at-risk" if high >= target else "off-track"
    else:
        status = "on-track" if projected <= target else "at-risk" if low <= target else "off-track"
    return {
        "status": status,
        "latest": latest,
        "progress": progress,
        "projected": projected,
        "low": low,
        "high": high,
        "target": target,
    }


def save_goals(path: str | Path, goals_file: GoalsFile | dict) -> Path | None:
    """Validate and write a goals file atomically, keeping the previous version as
    ``<name>.bak``. Returns the backup path (None for a new file). Invalid goals raise
    :class:`GoalsError` and leave the file untouched."""
    import shutil

    from socialkpi.files import write_atomically

    path = Path(path)
    try:
        valid = (
            goals_file
            if isinstance(goals_file, GoalsFile)
            else GoalsFile.model_validate(goals_file)
        )
    except ValidationError as err:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in err.errors())
        raise GoalsError(f"{path}: not saved: {problems}") from err
    data = valid.model_dump(mode="json", exclude_none=True)
    text = _keeping_comments(path, data) or yaml.safe_dump(
        data, allow_unicode=True, sort_keys=False
    )
    backup = None
    if path.exists():
        backup = path.with_name(path.name + ".bak")
        shutil.copy2(path, backup)
    write_atomically(path, text)
    return backup


def _keeping_comments(path: Path, data: dict) -> str | None:
    """``data`` written into the existing file's YAML, so its comments, key order and flow
    style survive an edit; None if there is no readable file to keep."""
    import io

    from ruamel.yaml import YAML

    round_trip = YAML()
    round_trip.allow_unicode = True
    round_trip.indent(mapping=2, sequence=4, offset=2)  # "  - id: ..." as our files are written
    try:
        old = round_trip.load(path.read_text("utf-8"))
    except Exception:  # no file, or one we cannot parse: write it afresh
        return None
    if not isinstance(old, dict):
        return None
    _merge_into(old, data)
    out = io.StringIO()
    round_trip.dump(old, out)
    return out.getvalue()


def _merge_into(old, new):
    """Update the round-trip YAML ``old`` to equal ``new`` in place, touching only what
    changed (goals are matched by ``id``; a date equal to its ISO text counts as unchanged)."""
    if isinstance(old, dict) and isinstance(new, dict):
        for key in [k for k in old if k not in new]:
            del old[key]
        for key, value in new.items():
            current = old.get(key)
            if isinstance(value, float) and value.is_integer() and isinstance(current, int):
                value = int(value)  # 400.0 from a number box, where the file had 320
            if (isinstance(current, dict) and isinstance(value, dict)) or (
                isinstance(current, list) and isinstance(value, list)
            ):
                old[key] = _merge_into(current, value)
            elif key not in old and value in ([], {}):
                continue  # a default the file never spelled out stays unwritten
            elif key not in old or str(current) != str(value):
                old[key] = value
        return old
    if isinstance(old, list) and isinstance(new, list):
        ids = {item.get("id"): item for item in old if isinstance(item, dict)}
        if all(isinstance(item, dict) and item.get("id") in ids for item in new) and new:
            merged = [_merge_into(ids[item["id"]], item) for item in new]
        elif len(old) == len(new):
            merged = [
                _merge_into(o, n) if isinstance(o, dict | list) else n
                for o, n in zip(old, new, strict=True)
            ]
        else:
            return new
        old[:] = merged
        return old
    return new


def growth_rates(history: pd.Series, months: int = 1) -> np.ndarray:
    """Relative changes over every ``months``-month span of a monthly series (overlapping
    spans; NaN values and zero bases dropped).

    Examples
    --------
    >>> growth_rates(pd.Series([100.0, 110.0, 121.0]), 2).tolist()
    [0.21]
    """
    v = history.astype("float64").to_numpy()
    if months < 1 or len(v) <= months:
        return np.array([])
    prev, cur = v[:-months], v[months:]
    ok = ~np.isnan(prev) & ~np.isnan(cur) & (prev != 0)
    return np.round(cur[ok] / prev[ok] - 1, 12)
