"""The command line, comments: socialkpi alerts (crisis episodes) and socialkpi sentiment."""

from __future__ import annotations

import sys
from datetime import date, timedelta

from socialkpi import store
from socialkpi.cli._common import (
    CRISIS,
    FAILED,
    OK,
    UsageError,
    _command,
    _known,
    _open_for,
    _plain,
    _positive,
    log,
)
from socialkpi.config import brands
from socialkpi.words.i18n import LANGS


def _add_alerts(sub, shared) -> None:
    cmd = _command(
        sub,
        "alerts",
        "crisis alerts (exit code 3 while a crisis is open)",
        "socialkpi alerts --all --format json   (cron: exit 3 means a crisis is open)",
        [shared["db"]],
    )
    who = cmd.add_mutually_exclusive_group(required=True)
    who.add_argument("--brand", type=brands.argument)
    who.add_argument("--all", action="store_true", help="every brand in the store")
    cmd.add_argument(
        "--since",
        type=date.fromisoformat,
        metavar="YYYY-MM-DD",
        help="episodes ending on or after this day (default: 7 days before the latest comment)",
    )
    cmd.add_argument(
        "--k",
        type=_positive,
        default=None,
        help="standard deviations above the baseline (default: that of SpikeRules, 4)",
    )
    cmd.add_argument("--format", choices=["text", "json"], default="text")
    cmd.set_defaults(run=_alerts)


def _add_sentiment(sub, shared) -> None:
    cmd = _command(
        sub,
        "sentiment",
        "score texts from standard input, one per line",
        "socialkpi sentiment < comments.txt   (prints score<TAB>label per line)",
    )
    cmd.add_argument("--lang", choices=["auto", *LANGS], default="auto")
    cmd.add_argument("--scorer", default="lexicon")
    cmd.set_defaults(run=_sentiment)


def _alerts(args) -> int:
    import json

    from socialkpi.metrics import listening

    con, zones = _open_for(args.db, args.brand)
    brands = sorted(zones) if args.all else [args.brand]
    rules = listening.SpikeRules() if args.k is None else listening.SpikeRules(k=args.k)
    found, failed = [], []
    for brand in brands:  # one brand that cannot be checked does not hide the others' alerts
        try:
            found += _brand_alerts(con, brand, zones[brand], rules, args.since)
        except Exception as err:
            log.debug("alerts for %s", brand, exc_info=True)
            failed.append(brand)
            print(
                f"error: {brand}: could not be checked: {type(err).__name__}: {err}",
                file=sys.stderr,
            )
    if args.format == "json":
        print(json.dumps([_jsonable(e) for e in found], ensure_ascii=False, indent=2))
    else:
        print(_alerts_text(found))
    if any(e["open"] for e in found):
        return CRISIS  # the more urgent news, even when another brand failed
    return FAILED if failed else OK


def _brand_alerts(con, brand: str, zone: str, rules, since: date | None) -> list[dict]:
    from socialkpi.metrics import listening

    comments = store.read(con, "comments", brand=brand)
    plan = store.read(con, "content_plan", brand=brand)
    if comments.empty:
        return []
    spikes = listening.detect_spikes(
        listening.hourly(comments), rules, listening.campaign_days(plan), zone
    )
    eps = listening.episodes(comments, spikes, rules)
    since = since or comments["created_at"].max().tz_convert(zone).date() - timedelta(days=7)
    eps = eps[eps["end"].dt.tz_convert(zone).dt.date >= since] if len(eps) else eps
    return [{"brand": brand, "timezone": zone, **e} for e in eps.to_dict("records")]


def _jsonable(episode: dict) -> dict:
    out = {}
    for key, value in episode.items():
        if hasattr(value, "isoformat"):
            value = value.isoformat()
        elif isinstance(value, float) and value != value:
            value = None
        out[key] = value
    return out


def _alerts_text(found: list[dict]) -> str:
    if not found:
        return "no crisis alerts"
    lines = []
    for e in found:
        tz = e["timezone"]
        state = "OPEN" if e["open"] else "closed"
        lines.append(
            f"[{state}] {e['brand']}: {e['start'].tz_convert(tz):%Y-%m-%d %H:%M} to "
            f"{e['end'].tz_convert(tz):%Y-%m-%d %H:%M} ({tz}), peak {e['peak'].tz_convert(tz):%m-%d %H:%M}, "
            f"{e['volume']} comments, {e['negative_share']:.0%} negative, alert on {e['alerts']}"
        )
        replies = (
            f"first brand reply after {e['first_response_h']:.1f} h, median reply "
            f"{e['median_response_h']:.1f} h"
            if _known(e["first_response_h"])
            else "no brand reply yet"
        )
        lines.append(
            f"    {replies}; "
            f"terms: {', '.join(_plain(t) for t in e['top_terms']) or '-'}; "
            f"threads: {', '.join(_plain(t) for t in e['top_threads']) or '-'}"
        )
    return "\n".join(lines)


def _sentiment(args) -> int:
    from socialkpi.metrics.sentiment import get_scorer

    try:
        scorer = get_scorer(args.scorer)
    except ValueError as err:
        raise UsageError(str(err)) from err
    for line in sys.stdin:
        score, label = scorer.score([line.rstrip("\n")], args.lang)[0]
        print(f"{score:.4f}\t{label}")
    return OK


# the commands this module adds, in the order `socialkpi --help` lists them
COMMANDS = (
    _add_alerts,
    _add_sentiment,
)
