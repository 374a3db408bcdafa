"""``socialkpi money``: a month's spend against the budget, what the ads bought and the
return, as text, Markdown or JSON (the budget and return page's numbers)."""

from __future__ import annotations

import json
import math

from socialkpi.cli._common import OK, UsageError, WorkFailed, _command, _open_for


def _add_money(sub, shared) -> None:
    cmd = _command(
        sub,
        "money",
        "a month's spend against budget, cost per result and return on investment",
        "socialkpi money --brand lumi_tea --month 2026-10 --format md",
        [shared["brand"], shared["month"], shared["lang"], shared["db"]],
    )
    cmd.add_argument("--format", choices=["text", "md", "json"], default="text")
    cmd.add_argument(
        "--budgets", metavar="FILE", help="budget file (default data/budgets/<brand>.yaml)"
    )
    cmd.add_argument(
        "--rates", metavar="FILE", help="exchange rates file (default data/rates.yaml)"
    )
    cmd.set_defaults(run=_money)


def _number(value):
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else value


def _money(args) -> int:
    from socialkpi.metrics import money
    from socialkpi.reads import money as money_reads
    from socialkpi.words.cli_text import money_text

    con, _ = _open_for(args.db, args.brand)
    budget_path, rates_path = money_reads.paths(args.brand, args.budgets or "", args.rates or "")
    for given, path in ((args.budgets, budget_path), (args.rates, rates_path)):
        if given and not path.exists():
            raise UsageError(f"no such file: {path}")
    try:
        plan, rates = money_reads.defaults(args.brand, budget_path, rates_path)
    except money.MoneyError as err:
        raise WorkFailed(str(err)) from err
    m = money_reads.month_money(con, args.brand, args.month, plan, rates, args.platform)
    if m.missing_rate:
        raise WorkFailed(
            f"amounts in {m.missing_rate} for {args.month} and no rate converts them into "
            f"{m.currency}: add one to {rates_path}"
        )
    if not m.has_data:
        raise WorkFailed(f"no ad spend or costs for {args.brand} in {args.month}")
    if args.format == "json":
        print(json.dumps(money_json(m), ensure_ascii=False, indent=2, default=str))
    else:
        print(money_text(m, args.lang, markdown=args.format == "md"), end="")
    return OK


def money_json(m) -> dict:
    """The month's money as JSON-ready data (ids and numbers)."""
    records = {
        name: [{k: _number(v) for k, v in row.items()} for row in frame.to_dict("records")]
        for name, frame in (("lines", m.lines), ("channels", m.channels), ("results", m.results))
    }
    return {
        "month": m.month,
        "currency": m.currency,
        "data_through": m.as_of,
        "total": m.total,
        "ads_spend": m.ads_spend,
        "other_costs": m.other_costs,
        "social_revenue": _number(m.revenue),
        "social_roi": _number(m.roi),
        "roi_attribution": "GA4 session source",
        **records,
        "budget_moves": [{**vars(x), "supported": x.supported} for x in m.moves],
        "rates": [
            {"from": r.from_, "to": r.to, "rate": r.rate, "month": r.month, "source": r.source}
            for r in m.rates
        ],
    }


COMMANDS = (_add_money,)
