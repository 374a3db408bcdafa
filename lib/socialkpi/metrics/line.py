"""Rules for a LINE Official Account: blocks after a send, and the plan's message quota.

- **Blocks after a send**: friends who block the account on the LINE day of a broadcast (or
  targeted send) and the day after, against the same count after the account's earlier sends.
  A send is a risk when that count is at least ``min_blocks`` and above the earlier sends'
  mean by ``k`` standard deviations (at least a Poisson count's: the rule of the comment
  spikes, ``listening.detect_spikes``), given ``min_history`` earlier sends to compare with
  (earlier spikes left out).
- **Quota**: the messages a plan counts (``schema.LINE_CHARGED``) against its free messages;
  beyond them, extra messages at the plan's price (where the plan sells them).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

# sends that reach many friends at once: what a block spike can follow
MASS_SENDS = ("broadcast", "targeting", "api_broadcast", "api_narrowcast", "api_multicast")


@dataclass(frozen=True)
class BlockRules:
    """When the blocks after a send count as a spike."""

    k: float = 4.0
    min_blocks: int = 20
    min_history: int = 3
    history: int = 8  # earlier sends compared with
    days_after: int = 1  # the send's LINE day and this many days after it


def blocks_after_sends(
    daily: pd.DataFrame, deliveries: pd.DataFrame, rules: BlockRules = BlockRules()
) -> pd.DataFrame:
    """Per day with a mass send: messages sent, the blocks added on it and the days after
    (``rules.days_after``), the earlier sends' mean and limit, and whether it is a spike.

    ``daily``: LINE days with ``date`` and ``blocks`` (totals as of the day); ``deliveries``:
    ``date``, ``send_type``, ``messages``.

    >>> daily = pd.DataFrame({"date": pd.date_range("2026-10-01", periods=30),
    ...                       "blocks": np.arange(100, 130)})
    >>> daily.loc[daily["date"] >= "2026-10-29", "blocks"] += 60
    >>> sends = pd.DataFrame({"date": pd.to_datetime(["2026-10-02", "2026-10-09",
    ...     "2026-10-16", "2026-10-23", "2026-10-29"]), "send_type": "broadcast",
    ...     "messages": 900})
    >>> out = blocks_after_sends(daily, sends)
    >>> out["new_blocks"].tolist(), out["spike"].tolist()
    ([2, 2, 2, 2, 62], [False, False, False, False, True])
    """
    columns = ["date", "sent", "new_blocks", "usual", "limit", "earlier", "spike"]
    mass = deliveries[deliveries["send_type"].isin(MASS_SENDS)] if len(deliveries) else deliveries
    if mass.empty or daily.empty:
        return pd.DataFrame(columns=columns)
    blocks = daily.dropna(subset=["blocks"]).set_index("date")["blocks"].astype(float).sort_index()
    sent = mass.groupby("date")["messages"].sum().sort_index()
    rows = []
    for day, count in sent.items():
        before = blocks[blocks.index < day]
        after = blocks[
            (blocks.index >= day) & (blocks.index <= day + pd.Timedelta(days=rules.days_after))
        ]
        if before.empty or after.empty:
            continue
        new = after.iloc[-1] - before.iloc[-1]
        # earlier spikes are not what usually happens after a send
        earlier = [r["new_blocks"] for r in rows if not r["spike"]][-rules.history :]
        usual = limit = math.nan
        if len(earlier) >= rules.min_history:
            usual = float(np.mean(earlier))
            spread = max(float(np.std(earlier, ddof=1)), math.sqrt(max(usual, 0)))
            limit = usual + rules.k * spread
        spike = bool(new >= rules.min_blocks and not math.isnan(limit) and new > limit)
        rows.append(
            {
                "date": day,
                "sent": int(count),
                "new_blocks": int(new),
                "usual": usual,
                "limit": limit,
                "earlier": len(earlier),
                "spike": spike,
            }
        )
    return pd.DataFrame(rows, columns=columns)


@dataclass(frozen=True)
class Quota:
    """A month's messages against the plan: counted, free, extra, and what the extras cost
    (NaN: the plan sells none, so LINE stops sending at the free messages)."""

    counted: int
    free: int
    price: float | None

    @property
    def extra(self) -> int:
        return max(0, self.counted - self.free)

    @property
    def cost(self) -> float:
        """Extra messages at the plan's price (0 within the free messages).

        >>> Quota(17150, 6000, 0.2).cost, Quota(2800, 3000, None).cost
        (2230.0, 0.0)
        """
        if self.extra == 0:
            return 0.0
        return math.nan if self.price is None else round(self.extra * self.price, 2)

    @property
    def share(self) -> float:
        """Counted messages ÷ free messages."""
        return self.counted / self.free if self.free else math.nan
