"""Landing files of a LINE Official Account (``connectors.line``) read into canonical frames.

What the Messaging API's answers mean (developers.line.biz/en/reference/messaging-api/):

- a day's ``status`` is ``ready``, ``unready`` (LINE has not finished counting it: left out and
  said, never stored as 0; pull again later) or ``out_of_service`` (before LINE counted);
- ``followers`` counts friend adds ever (it never decreases when a friend blocks), ``blocks``
  the friends blocking as of the day, ``targetedReaches`` the friends reachable by
  demographic targeting; all three are totals as of the day (UTC+9);
- a delivery day lists messages per send type, a send type absent meaning none were sent;
- a message's or unit's interaction counts are ``null`` when under 20 users (LINE withholds
  them for privacy): stored as null and named in ``withheld``, never 0; a message's
  ``delivered`` is null until LINE has sent all of it;
- demographics come as percentages per segment, with ``available`` false under 20 reachable
  friends (then nothing is stored and the file says why); an ``unknown`` age, area or
  friendship length is not a segment and is left out (the shares are of all friends).
"""

from __future__ import annotations

from datetime import datetime

import pandas as pd

# the delivery statistics' send types -> send_type values (store.schema.LINE_SEND_TYPES)
SEND_TYPES = {
    "broadcast": "broadcast",
    "targeting": "targeting",
    "stepMessage": "step",
    "autoResponse": "auto_response",
    "welcomeResponse": "welcome",
    "chat": "chat",
    "apiBroadcast": "api_broadcast",
    "apiPush": "api_push",
    "apiMulticast": "api_multicast",
    "apiNarrowcast": "api_narrowcast",
    "apiReply": "api_reply",
    "ccAutoReply": "cc_auto_reply",
    "ccManualReply": "cc_manual_reply",
    "pnpNoticeMessage": "pnp_notice",
    "pnpCallToLine": "pnp_call",
    "thirdPartyChatTool": "third_party_chat",
}
OVERVIEW = {
    "delivered": "delivered",
    "uniqueImpression": "unique_impressions",
    "uniqueClick": "unique_clicks",
    "uniqueMediaPlayed": "unique_media_played",
    "uniqueMediaPlayed100Percent": "unique_media_completed",
}
# LINE's age bands -> audience segments; "from50" is the 50+ total LINE still sends beside the
# finer bands added on 2024-09-05, so it is kept only when the finer bands are absent
AGES = {
    "from0to14": "0-14",
    "from15to19": "15-19",
    "from20to24": "20-24",
    "from25to29": "25-29",
    "from30to34": "30-34",
    "from35to39": "35-39",
    "from40to44": "40-44",
    "from45to49": "45-49",
    "from50": "50+",
    "from50to54": "50-54",
    "from55to59": "55-59",
    "from60to64": "60-64",
    "from65to69": "65-69",
    "from70": "70+",
}
PERIODS = {
    "within7days": "0-6 days",
    "within30days": "7-29 days",
    "within90days": "30-89 days",
    "within180days": "90-179 days",
    "within365days": "180-364 days",
    "over365days": "365+ days",
}
# LINE's Taiwan areas (the reference lists them in Chinese) -> cities as Meta writes them, which
# the catalogue names in both languages
AREAS = {
    "台北市": "Taipei City",
    "新北市": "New Taipei City",
    "桃園市": "Taoyuan City",
    "台中市": "Taichung City",
    "台南市": "Tainan City",
    "高雄市": "Kaohsiung City",
    "基隆市": "Keelung City",
    "新竹市": "Hsinchu City",
    "嘉義市": "Chiayi City",
    "新竹縣": "Hsinchu County",
    "苗栗縣": "Miaoli County",
    "彰化縣": "Changhua County",
    "南投縣": "Nantou County",
    "雲林縣": "Yunlin County",
    "嘉義縣": "Chiayi County",
    "屏東縣": "Pingtung County",
    "宜蘭縣": "Yilan County",
    "花蓮縣": "Hualien County",
    "台東縣": "Taitung County",
    "澎湖縣": "Penghu County",
    "金門縣": "Kinmen County",
    "連江縣": "Lienchiang County",
}
DEMOGRAPHICS = (  # response list, item key, audience dimension
    ("genders", "gender", "gender"),
    ("ages", "age", "age"),
    ("areas", "area", "city"),
    ("appTypes", "appType", "device_os"),
    ("subscriptionPeriods", "subscriptionPeriod", "friendship_length"),
)


def _line_day(ctx) -> pd.Timestamp:
    text = str(ctx.format_extra["request"].get("params", {}).get("date", ""))
    return pd.Timestamp(datetime.strptime(text, "%Y%m%d").date())


def _unready(response: dict, ctx, what: str) -> bool:
    status = response.get("status")
    if status == "ready":
        return False
    day = _line_day(ctx).date()
    if status == "unready":
        ctx.warn(
            f"LINE had not finished counting {what} for {day} (unready): not stored; "
            "pull again tomorrow"
        )
    else:
        ctx.warn(f"LINE has no {what} for {day} ({status}): nothing stored")
    return True


def _friends(response: dict, pulled: datetime, ctx) -> dict[str, pd.DataFrame]:
    if _unready(response, ctx, "friends"):
        return {}
    row = {
        "date": _line_day(ctx),
        "friends": response.get("followers"),
        "targeted_reach": response.get("targetedReaches"),
        "blocks": response.get("blocks"),
    }
    return {"account_daily": pd.DataFrame([row])}


def _deliveries(response: dict, pulled: datetime, ctx) -> dict[str, pd.DataFrame]:
    if _unready(response, ctx, "message deliveries"):
        return {}
    unknown = sorted(k for k in response if k != "status" and k not in SEND_TYPES)
    if unknown:
        ctx.warn(f"send types socialkpi does not know yet were not stored: {', '.join(unknown)}")
    day = _line_day(ctx)
    rows = [
        {"date": day, "send_type": SEND_TYPES[k], "messages": v}
        for k, v in response.items()
        if k in SEND_TYPES and v is not None
    ]
    return {"line_deliveries": pd.DataFrame(rows)} if rows else {}


def _demographics(response: dict, pulled: datetime, ctx) -> dict[str, pd.DataFrame]:
    if not response.get("available"):
        ctx.warn(
            "LINE gives no friend demographics for this account (fewer than 20 friends it can "
            "target, or an account not created in Taiwan, Japan or Thailand)"
        )
        return {}
    rows = []
    for listed, key, dimension in DEMOGRAPHICS:
        items = response.get(listed) or []
        names = {i.get(key) for i in items}
        for item in items:
            segment = item.get(key)
            if key == "age" and segment == "from50" and names & {"from50to54", "from70"}:
                continue
            if segment == "unknown" and key != "gender":
                continue  # not a segment: the shares are of all friends, the rest unknown
            segment = {"age": AGES, "subscriptionPeriod": PERIODS}.get(key, {}).get(
                segment, segment
            )
            if key == "area":
                segment = f"{AREAS[segment]}, Taiwan" if segment in AREAS else segment
            rows.append(
                {
                    "snapshot_date": pd.Timestamp(pulled.date()),
                    "dimension": dimension,
                    "segment": segment,
                    "share": item.get("percentage", 0) / 100,
                }
            )
    return {"audience": pd.DataFrame(rows)} if rows else {}


def _stats(response: dict, message_id: str, kind: str, pulled: datetime, extra: dict) -> dict:
    overview = response.get("overview") or {}
    row = {
        "message_id": message_id,
        "kind": kind,
        "snapshot_date": pd.Timestamp(pulled.date()),
        **extra,
    }
    withheld = []
    for key, column in OVERVIEW.items():
        if key not in overview:
            continue
        row[column] = overview[key]
        if overview[key] is None and key != "delivered":
            withheld.append(column)
    row["withheld"] = ",".join(withheld) or None
    clicks = [
        {
            "message_id": message_id,
            "seq": c.get("seq"),
            "url": c.get("url"),
            "clicks": c.get("click"),
            "unique_clicks": c.get("uniqueClick"),
        }
        for c in response.get("clicks") or []
    ]
    out = {"line_messages": pd.DataFrame([row])}
    if clicks:
        out["line_clicks"] = pd.DataFrame(clicks)
    return out


def _message_stats(response: dict, pulled: datetime, ctx) -> dict[str, pd.DataFrame]:
    overview = response.get("overview") or {}
    request = ctx.format_extra["request"].get("params", {})
    sent = overview.get("timestamp")
    extra = {
        "title": ctx.format_extra.get("title"),
        "sent_at": pd.Timestamp(sent, unit="s", tz="UTC") if sent else None,
    }
    message_id = str(overview.get("requestId") or request.get("requestId"))
    if overview.get("delivered") is None:
        ctx.warn(f"LINE had not finished sending message {message_id}: delivered not stored")
    return _stats(response, message_id, "message", pulled, extra)


def _unit_stats(response: dict, pulled: datetime, ctx) -> dict[str, pd.DataFrame]:
    params = ctx.format_extra["request"].get("params", {})
    first, last = (datetime.strptime(params[k], "%Y%m%d").date() for k in ("from", "to"))
    unit = params["customAggregationUnit"]
    extra = {"title": unit, "period_from": pd.Timestamp(first), "period_to": pd.Timestamp(last)}
    return _stats(response, f"unit:{unit}:{first:%Y%m%d}-{last:%Y%m%d}", "unit", pulled, extra)


def _quota_usage(response: dict, pulled: datetime, ctx) -> dict[str, pd.DataFrame]:
    row = {"snapshot_date": pd.Timestamp(pulled.date()), "used": response.get("totalUsage")}
    return {"line_quota": pd.DataFrame([row])}


def _units(response: dict, pulled: datetime, ctx) -> dict[str, pd.DataFrame]:
    return {}  # the names are what the pull asks statistics for; nothing to store


READERS = {
    ("line", "friends"): _friends,
    ("line", "deliveries"): _deliveries,
    ("line", "demographics"): _demographics,
    ("line", "message_stats"): _message_stats,
    ("line", "unit_stats"): _unit_stats,
    ("line", "quota_usage"): _quota_usage,
    ("line", "units"): _units,
}
