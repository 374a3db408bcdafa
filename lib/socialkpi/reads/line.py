"""A brand's month of its LINE Official Account as the pages, the executive summary and the
money view read it: friends day by day, messages sent per send type, each broadcast's opens
and clicks (a count LINE withholds stays unknown), the blocks after each send against the
earlier sends' (``metrics.line`` holds the rules), and the messages counted against the plan.
LINE's days are cut at UTC+9: a month here is LINE's month."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from socialkpi.metrics import line as rules
from socialkpi.metrics.periods import parse_period
from socialkpi.store.cache import cached
from socialkpi.store.schema import LINE_CHARGED

SENT_DAY = "CAST(timezone('Etc/GMT-9', sent_at) AS DATE)"  # a send's LINE day (UTC+9)
SEND = "line:"  # the id prefix of a LINE send read as a post (sends_as_posts)


@dataclass
class LineMonth:
    """One month of a LINE Official Account (``has_data`` False: the brand has none)."""

    month: str
    daily: pd.DataFrame  # date, friends, targeted_reach, blocks: the month's LINE days
    sends: pd.DataFrame  # send_type, messages, charged: the month's messages per send type
    broadcasts: pd.DataFrame  # the month's messages with statistics, rates and blocks after
    blocks: pd.DataFrame  # metrics.line.blocks_after_sends for the month's sends
    counted: int  # messages the plan counts
    has_data: bool

    @property
    def spikes(self) -> pd.DataFrame:
        """The month's sends followed by a block spike."""
        return self.blocks[self.blocks["spike"]] if len(self.blocks) else self.blocks


def _frame(con, sql: str, params: list) -> pd.DataFrame:
    table = con.sql(sql, params=params).to_arrow_table()
    return table.to_pandas() if table.num_rows else pd.DataFrame(columns=table.column_names)


@cached(8)
def month_line(con, brand: str, month: str) -> LineMonth:
    """The brand's LINE month (see :class:`LineMonth`)."""
    p = parse_period(month)
    first, after = p.start, p.end
    daily = _frame(
        con,
        """SELECT date, friends, targeted_reach, blocks FROM account_daily
           WHERE brand = ? AND platform = 'line' AND friends IS NOT NULL AND date < ?
           ORDER BY date""",
        [brand, after],
    )
    deliveries = _frame(
        con,
        "SELECT date, send_type, messages FROM line_deliveries WHERE brand = ? AND date < ?",
        [brand, after],
    )
    for frame in (daily, deliveries):
        if len(frame):
            frame["date"] = pd.to_datetime(frame["date"])
    in_month = (
        deliveries[deliveries["date"] >= pd.Timestamp(first)] if len(deliveries) else deliveries
    )
    sends = (
        in_month.groupby("send_type", as_index=False)["messages"].sum()
        if len(in_month)
        else pd.DataFrame(columns=["send_type", "messages"])
    )
    sends["charged"] = sends["send_type"].isin(LINE_CHARGED)
    sends = sends.sort_values("messages", ascending=False, ignore_index=True)
    blocks = rules.blocks_after_sends(daily, deliveries)
    if len(blocks):
        blocks = blocks[blocks["date"] >= pd.Timestamp(first)].reset_index(drop=True)
    broadcasts = _broadcasts(con, brand, first, after, blocks)
    month_days = daily[daily["date"] >= pd.Timestamp(first)] if len(daily) else daily
    return LineMonth(
        month=month,
        daily=month_days.reset_index(drop=True),
        sends=sends,
        broadcasts=broadcasts,
        blocks=blocks,
        counted=int(sends.loc[sends["charged"], "messages"].sum()) if len(sends) else 0,
        has_data=bool(len(month_days) or len(in_month) or len(broadcasts)),
    )


def _broadcasts(con, brand: str, first, after, blocks: pd.DataFrame) -> pd.DataFrame:
    """The month's messages (by their LINE day) with open, click and completion rates over
    what LINE gives (a withheld count leaves its rate unknown) and the blocks after the day."""
    found = _frame(
        con,
        f"""SELECT message_id, title, sent_at, {SENT_DAY} AS date, delivered,
                   unique_impressions, unique_clicks, unique_media_played,
                   unique_media_completed, withheld
            FROM line_messages WHERE brand = ? AND kind = 'message'
              AND {SENT_DAY} >= ? AND {SENT_DAY} < ? ORDER BY sent_at""",
        [brand, first, after],
    )
    if found.empty:
        return found
    found["date"] = pd.to_datetime(found["date"])
    num = {c: pd.to_numeric(found[c], errors="coerce").astype(float) for c in found.columns[4:9]}
    delivered = num["delivered"].where(num["delivered"] > 0)
    found["open_rate"] = num["unique_impressions"] / delivered
    found["click_rate"] = num["unique_clicks"] / delivered
    found["completion"] = num["unique_media_completed"] / num["unique_media_played"].where(
        num["unique_media_played"] > 0
    )
    after_send = blocks.set_index("date")["new_blocks"] if len(blocks) else pd.Series(dtype=float)
    found["new_blocks"] = found["date"].map(after_send).astype(float)
    spikes = set(blocks.loc[blocks["spike"], "date"]) if len(blocks) else set()
    found["spike"] = found["date"].isin(spikes)
    return found


def spike_risks(con, brand: str, month: str) -> list[dict]:
    """The month's block spikes as the executive summary's risks: the day, the broadcast
    sent that day (its title, where the brand named it), the blocks after it and the earlier
    sends' usual count."""
    m = month_line(con, brand, month)
    out = []
    for row in m.spikes.itertuples():
        titles = (
            m.broadcasts.loc[m.broadcasts["date"] == row.date, "title"].dropna().tolist()
            if len(m.broadcasts)
            else []
        )
        out.append(
            {
                "day": row.date.date(),
                "title": titles[0] if titles else None,
                "blocks": int(row.new_blocks),
                "usual": float(row.usual),
                "sent": int(row.sent),
                "earlier": int(row.earlier),
            }
        )
    return out


def quota(m: LineMonth, plan) -> rules.Quota | None:
    """The month's counted messages against the brand's plan (``money.LinePlan``), where the
    brand has LINE data and a plan."""
    if plan is None or not m.has_data:
        return None
    price = plan.extra_message_price
    return rules.Quota(m.counted, plan.free_messages, None if price is None else float(price))


def extra_cost_row(m: LineMonth, plan, currency: str) -> pd.DataFrame:
    """The month's extra messages as a cost-ledger row (category ``messaging``, platform
    ``line``), so the money view counts them with every other cost; empty when none."""
    found = quota(m, plan)
    if found is None or not found.extra or np.isnan(found.cost):
        return pd.DataFrame()
    start = parse_period(m.month).start
    return pd.DataFrame(
        [
            {
                "cost_id": f"line-extra-{m.month}",
                "date": pd.Timestamp(start),
                "whole_month": True,
                "platform": "line",
                "category": "messaging",
                "amount": found.cost,
                "currency": currency,
            }
        ]
    )


# the order LINE's segments read in (ingest.line's names)
_ORDER = {
    "age": [
        "0-14",
        "15-19",
        "20-24",
        "25-29",
        "30-34",
        "35-39",
        "40-44",
        "45-49",
        "50+",
        "50-54",
        "55-59",
        "60-64",
        "65-69",
        "70+",
    ],
    "friendship_length": [
        "0-6 days",
        "7-29 days",
        "30-89 days",
        "90-179 days",
        "180-364 days",
        "365+ days",
    ],
}


def friend_shares(con, brand: str, month: str) -> pd.DataFrame:
    """The friends' age, device and friendship length in LINE's latest demographics up to the
    end of ``month``: dimension, segment, share, snapshot_date."""
    end = parse_period(month).end
    found = _frame(
        con,
        """SELECT dimension, segment, share, snapshot_date FROM audience
           WHERE brand = ? AND platform = 'line' AND snapshot_date < ?
             AND dimension IN ('age', 'device_os', 'friendship_length')
           QUALIFY snapshot_date = max(snapshot_date) OVER ()""",
        [brand, end],
    )
    if found.empty:
        return found

    def rank(row) -> tuple:
        order = _ORDER.get(row.dimension, [])
        place = order.index(row.segment) if row.segment in order else -row.share
        return (["age", "device_os", "friendship_length"].index(row.dimension), place)

    keys = [rank(r) for r in found.itertuples()]
    return found.iloc[sorted(range(len(found)), key=keys.__getitem__)].reset_index(drop=True)


def sends_as_posts(con, brand: str, month: str) -> pd.DataFrame:
    """The month's LINE mass sends as the plan's reconciliation reads posts
    (``metrics.plan.reconcile``): one per LINE day with a broadcast or targeted send, titled
    by a message sent that day where the brand named one, so a LINE item of the content plan
    is matched to what went out (two sends on one day are one)."""
    p = parse_period(month)
    found = _frame(
        con,
        f"""SELECT d.date AS day, any_value(m.title) AS caption
            FROM line_deliveries d
            LEFT JOIN line_messages m
              ON m.brand = d.brand AND m.kind = 'message' AND {SENT_DAY.replace("sent_at", "m.sent_at")} = d.date
            WHERE d.brand = ? AND d.date >= ? AND d.date < ?
              AND d.send_type IN ({", ".join(f"'{t}'" for t in rules.MASS_SENDS)})
            GROUP BY d.date ORDER BY d.date""",
        [brand, p.start, p.end],
    )
    if found.empty:
        return pd.DataFrame(columns=["post_id", "platform", "day", "caption", "permalink"])
    day = pd.to_datetime(found["day"])
    return pd.DataFrame(
        {
            "post_id": [f"{SEND}{d:%Y-%m-%d}" for d in day],
            "platform": "line",
            "day": day,
            "caption": found["caption"].astype("string"),
            "permalink": pd.Series(pd.NA, index=found.index, dtype="string"),
        }
    )


def is_send(posts: pd.DataFrame) -> pd.Series:
    """Which rows of a posts frame are LINE sends (:func:`sends_as_posts`)."""
    return posts["post_id"].astype("string").str.startswith(SEND).fillna(False).astype(bool)
