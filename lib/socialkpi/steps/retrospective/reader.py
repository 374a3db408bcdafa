"""What the retrospective reads from the store: what moved each goal's KPI (drivers of the
month's change against the month before) and how the actions of earlier months turned out."""

from __future__ import annotations

import math

import pandas as pd

from socialkpi import metrics, reads
from socialkpi.metrics import drivers, kpi
from socialkpi.metrics.periods import parse_period
from socialkpi.steps.retrospective.analysis import NUMERATORS, as_float, follow_up_result


def goal_drivers(con, brand: str, month: str, status: pd.DataFrame) -> pd.DataFrame:
    """For each goal KPI that is a post count (or a rate of one), the change of that count
    from last month, over every post on every platform, split into post volume, content mix,
    exposure per post, rate and unmeasured-post effects (``drivers.decompose``; they add up
    to ``total``, the scorecard's change for all platforms). Empty when last month had no
    posts."""
    now = reads.posts_of(con, brand, month)
    before = reads.posts_of(con, brand, parse_period(month).previous().label)
    rows = []
    for kpi_id in dict.fromkeys(status.get("kpi", pd.Series(dtype=str))):
        if kpi_id not in NUMERATORS or now.empty or before.empty:
            continue
        measure = NUMERATORS[kpi_id]
        effects = drivers.decompose(before, now, measure)
        covered = tuple(sorted(set(now.loc[now[measure].notna(), "platform"])))
        rows.append(
            {
                "kpi": kpi_id,
                "measure": measure,
                "platforms": covered,
                "same_platforms": covered
                == tuple(sorted(set(before.loc[before[measure].notna(), "platform"]))),
                **effects.set_index("effect")["value"].to_dict(),
            }
        )
    return pd.DataFrame(rows).drop_duplicates("measure") if rows else pd.DataFrame()


def follow_up(con, brand: str, month: str, items: pd.DataFrame) -> pd.DataFrame:
    """Each item's follow-up measured in ``month``: its measure (``now``: the KPI over the
    item's platforms, or, for ``statistic: post_median``, the median per-post value over the
    posts of its platforms), the change from the item's baseline (``effect``) and ``result``:
    ``met`` when the value reached the target in the KPI's better direction, ``missed`` when it
    did not by the due date, ``pending`` before then, ``unmeasured`` for items without a
    follow-up or a value."""
    rows = []
    for item in items.to_dict("records"):
        kpi_id = item.get("kpi")
        now = math.nan
        if isinstance(kpi_id, str) and kpi_id in metrics.dictionary():
            p = item.get("platforms")
            platforms = p if isinstance(p, list) and p else None  # old items have none
            if item.get("statistic") == "post_median":
                posts = reads.posts_of(con, brand, month, platforms)
                values = posts[kpi_id].astype("float64").dropna() if kpi_id in posts else []
                now = float(values.median()) if len(values) else math.nan
            else:
                series = kpi.monthly_series(con, brand, kpi_id, month, month, platforms)
                now = float(series.iloc[-1]) if len(series) else math.nan
        rows.append(
            {
                **item,
                "now": now,
                "effect": now - as_float(item.get("baseline")),
                "result": follow_up_result(item, now, month),
            }
        )
    return pd.DataFrame(rows)
