"""The canonical tables: columns, types, natural keys and the checks every row must pass.

Every importer produces frames in these shapes; the store creates its tables from them.
Types are named once here and mapped to pandas and DuckDB types below.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

import pandas as pd

from socialkpi.config import CONTENT_TYPES, PLATFORMS

# the ad platforms whose exports socialkpi reads (one "channel" each in ad_results and budgets)
AD_CHANNELS = ("meta_ads", "google_ads", "tiktok_ads", "linkedin_ads")
AD_LEVELS = ("account", "campaign", "ad_set", "ad")
# what a cost-ledger line or a budget line pays for ("ads": ad platforms' spend)
COST_CATEGORIES = (
    "ads",
    "content_production",
    "kol",
    "staff",
    "tools",
    "events",
    "messaging",  # a LINE Official Account's extra messages beyond its plan
    "other",
)

AUDIENCE_DIMENSIONS = (
    "age",
    "gender",
    "age_gender",
    "country",
    "city",
    "language",
    "hour_active",
    # LinkedIn's B2B follower demographics
    "job_function",
    "seniority",
    "industry",
    "company_size",
    # LINE Official Account friends: the app they use, how long they have been friends
    "device_os",
    "friendship_length",
)
# a LINE Official Account's send types (the Messaging API's delivery statistics, read by
# ingest.line) and those its plan charges for: broadcasts, targeted and step messages, and
# push, multicast, narrowcast and broadcast through the API; replies, chat, auto-responses and
# welcome messages are free (developers.line.biz/en/docs/messaging-api/pricing/,
# tw.linebiz.com/column/LINEOA-2023-Price-Plan/)
LINE_SEND_TYPES = (
    "broadcast",
    "targeting",
    "step",
    "auto_response",
    "welcome",
    "chat",
    "api_broadcast",
    "api_push",
    "api_multicast",
    "api_narrowcast",
    "api_reply",
    "cc_auto_reply",
    "cc_manual_reply",
    "pnp_notice",
    "pnp_call",
    "third_party_chat",
)
LINE_CHARGED = (
    "broadcast",
    "targeting",
    "step",
    "api_broadcast",
    "api_push",
    "api_multicast",
    "api_narrowcast",
)

# type name -> (pandas dtype, DuckDB type)
TYPES = {
    "str": ("string", "VARCHAR"),
    "date": ("datetime64[s]", "DATE"),
    "ts": ("datetime64[us, UTC]", "TIMESTAMPTZ"),
    "count": ("Int64", "BIGINT"),
    "signed": ("Int64", "BIGINT"),
    "float": ("Float64", "DOUBLE"),
    "share": ("Float64", "DOUBLE"),
    "bool": ("boolean", "BOOLEAN"),
}


@dataclass(frozen=True)
class Table:
    """One canonical table: ordered columns with type names, and its natural key."""

    name: str
    columns: dict[str, str]
    key: tuple[str, ...]
    choices: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def metrics(self) -> list[str]:
        """The table's columns that are not part of its key."""
        return [c for c, t in self.columns.items() if c not in self.key]


def _cols(spec: str) -> dict[str, str]:
    return dict(item.split(":") for item in spec.split())


TABLES = {
    t.name: t
    for t in [
        Table(
            "posts",
            _cols(
                "brand:str platform:str post_id:str snapshot_date:date published_at:ts"
                " time_known:bool content_type:str caption:str labels:str permalink:str paid:bool"
                " impressions:count"
                " views:count reach:count reactions:count comments:count shares:count"
                " saves:count reposts:count quotes:count clicks:count link_clicks:count video_views:count"
                " watch_time_s:float follows:count engagements_platform:count source_file:str"
            ),
            ("brand", "platform", "post_id", "snapshot_date"),
            {"platform": PLATFORMS, "content_type": CONTENT_TYPES},
        ),
        Table(
            "account_daily",
            _cols(
                "brand:str platform:str date:date followers:count follower_gains:count"
                " follower_losses:count impressions:count views:count reach:count"
                " engagements:count profile_visits:count website_clicks:count"
                " likes:count comments:count shares:count"
                " friends:count targeted_reach:count blocks:count"
            ),
            ("brand", "platform", "date"),
            {"platform": PLATFORMS},
        ),
        Table(
            "audience",
            _cols(
                "brand:str platform:str snapshot_date:date dimension:str segment:str"
                " share:share count:count"
            ),
            ("brand", "platform", "snapshot_date", "dimension", "segment"),
            {"platform": PLATFORMS, "dimension": AUDIENCE_DIMENSIONS},
        ),
        Table(
            "comments",
            _cols(
                "brand:str platform:str comment_id:str post_id:str created_at:ts"
                " author_hash:str text:str is_brand_reply:bool parent_id:str replied_at:ts"
                " sentiment:float sentiment_label:str"
            ),
            ("brand", "platform", "comment_id"),
            {"platform": PLATFORMS, "sentiment_label": ("positive", "neutral", "negative")},
        ),
        Table(
            "web_sessions",
            _cols(
                "brand:str date:date source_medium:str sessions:count engaged_sessions:count"
                " key_events:count revenue:float"
            ),
            ("brand", "date", "source_medium"),
        ),
        Table(
            "competitors",
            _cols(
                "brand:str competitor:str platform:str date:date followers:count posts:count"
                " engagements:count"
            ),
            ("brand", "competitor", "platform", "date"),
            {"platform": PLATFORMS},
        ),
        Table(
            "competitor_posts",
            _cols(
                "brand:str competitor:str platform:str post_url:str captured_at:ts"
                " published_at:ts content_type:str reactions:count comments:count"
                " shares:count views:count"
            ),
            ("brand", "competitor", "platform", "post_url", "captured_at"),
            {"platform": PLATFORMS, "content_type": CONTENT_TYPES},
        ),
        Table(
            "content_plan",
            _cols(
                "brand:str planned_id:str planned_for:date platform:str content_type:str"
                " topic:str status:str campaign:bool owner:str post_url:str planned_time:str"
                " note:str"
            ),
            ("brand", "planned_id"),
            {
                "platform": PLATFORMS,
                "content_type": CONTENT_TYPES,
                "status": ("idea", "planned", "in_progress", "scheduled", "published", "cancelled"),
            },
        ),
        # one row per ad-platform export line: an account, campaign, ad set or ad over a day or
        # a reporting range, optionally one segment of a breakdown (age, gender, placement ...)
        Table(
            "ad_results",
            _cols(
                "brand:str channel:str level:str entity:str date:date date_end:date"
                " breakdown:str segment:str campaign:str ad_set:str ad:str currency:str"
                " spend:float impressions:count reach:count clicks:count link_clicks:count"
                " results:float result_type:str conversions:float conversion_value:float"
                " roas:float engagements:count follows:count video_views:count"
                " attribution:str post_id:str source_file:str"
            ),
            ("brand", "channel", "level", "entity", "date", "date_end", "breakdown", "segment"),
            {"channel": AD_CHANNELS, "level": AD_LEVELS},
        ),
        # a LINE Official Account's messages sent per LINE day (cut at UTC+9) and send type
        Table(
            "line_deliveries",
            _cols("brand:str date:date send_type:str messages:count"),
            ("brand", "date", "send_type"),
            {"send_type": LINE_SEND_TYPES},
        ),
        # statistics of one broadcast or narrowcast (kind message, by its request id) or of a
        # custom aggregation unit over a span of days (kind unit); a count LINE withholds
        # (under 20 users) is null and named in ``withheld``
        Table(
            "line_messages",
            _cols(
                "brand:str message_id:str kind:str title:str sent_at:ts period_from:date"
                " period_to:date snapshot_date:date delivered:count unique_impressions:count"
                " unique_clicks:count unique_media_played:count unique_media_completed:count"
                " withheld:str"
            ),
            ("brand", "message_id"),
            {"kind": ("message", "unit")},
        ),
        Table(
            "line_clicks",
            _cols("brand:str message_id:str seq:count url:str clicks:count unique_clicks:count"),
            ("brand", "message_id", "seq", "url"),
        ),
        # LINE's own (approximate) count of this month's messages, as of a pull
        Table(
            "line_quota",
            _cols("brand:str snapshot_date:date used:count"),
            ("brand", "snapshot_date"),
        ),
        # the cost ledger: everything besides ad spend (production, KOL fees, staff, tools ...)
        Table(
            "costs",
            _cols(
                "brand:str cost_id:str date:date whole_month:bool platform:str category:str"
                " amount:float currency:str hours:float rate:float note:str"
            ),
            ("brand", "cost_id"),
            {"platform": PLATFORMS, "category": COST_CATEGORIES},
        ),
    ]
}


def empty_frame(table: str) -> pd.DataFrame:
    """An empty frame with the table's columns and dtypes."""
    cols = TABLES[table].columns
    return pd.DataFrame({c: pd.Series(dtype=TYPES[t][0]) for c, t in cols.items()})


def conform(frame: pd.DataFrame, table: str) -> pd.DataFrame:
    """Return ``frame`` with exactly the table's columns (missing ones null) and dtypes.

    Examples
    --------
    >>> conform(pd.DataFrame({"brand": ["a"], "platform": ["x"], "date": ["2026-01-02"],
    ...                       "followers": [5]}), "account_daily").followers.dtype
    Int64Dtype()
    """
    columns = {}
    for col, kind in TABLES[table].columns.items():
        dtype = TYPES[kind][0]
        if col not in frame:
            columns[col] = pd.Series(index=frame.index, dtype=dtype)
        elif str(frame[col].dtype) == dtype:
            columns[col] = frame[col]
        else:
            columns[col] = _cast(frame[col], kind)
    return pd.DataFrame(columns, index=frame.index).reset_index(drop=True)


def _cast(values: pd.Series, kind: str) -> pd.Series:
    if kind == "date":
        return pd.to_datetime(values).dt.normalize().astype("datetime64[s]")
    if kind == "ts":
        stamps = pd.to_datetime(values)
        if stamps.dt.tz is None:
            stamps = stamps.dt.tz_localize("UTC")
        return stamps.dt.tz_convert("UTC").astype("datetime64[us, UTC]")
    if kind in ("count", "signed"):
        return pd.to_numeric(values).round().astype("Int64")
    if kind in ("float", "share"):
        return pd.to_numeric(values).astype("Float64")
    if kind == "bool":
        return values.astype("boolean")
    return values.astype("string")


@dataclass(frozen=True)
class Problem:
    """One failed check: the frame row (positional), the column, what was expected, the value."""

    row: int | None
    column: str
    expected: str
    value: object


_EXPECT = {
    "count": "a whole number >= 0",
    "share": "a share between 0 and 1",
}


@functools.cache
def _schema(table: str):
    import pandera.pandas as pa  # deferred: pandera costs about a second to import

    spec = TABLES[table]
    columns = {}
    for col, kind in spec.columns.items():
        checks = []
        if kind == "count":
            checks.append(pa.Check.ge(0, error=_EXPECT["count"]))
        elif kind == "share":
            checks.append(pa.Check.in_range(0, 1, error=_EXPECT["share"]))
        elif kind == "float" and col == "sentiment":
            checks.append(pa.Check.in_range(-1, 1, error="a score between -1 and 1"))
        elif kind == "float":
            checks.append(pa.Check.ge(0, error="a number >= 0"))
        if col in spec.choices:
            allowed = spec.choices[col]
            checks.append(pa.Check.isin(allowed, error="one of " + ", ".join(allowed)))
        columns[col] = pa.Column(TYPES[kind][0], checks, nullable=col not in spec.key)
    return pa.DataFrameSchema(columns, unique=list(spec.key), strict=True, ordered=True)


def validate(frame: pd.DataFrame, table: str) -> list[Problem]:
    """Check a conformed frame against the table's rules; return every problem found.

    Rules: dtypes, keys present, counts >= 0, shares within 0-1, allowed values for
    platform/content_type/dimension, and no two rows with the same natural key.

    Examples
    --------
    >>> bad = conform(pd.DataFrame({"brand": ["a"], "platform": ["x"], "date": ["2026-01-02"],
    ...                             "followers": [-5]}), "account_daily")
    >>> [(p.column, p.expected, p.value) for p in validate(bad, "account_daily")]
    [('followers', 'a whole number >= 0', -5)]
    """
    import pandera.pandas as pa

    try:
        _schema(table).validate(frame, lazy=True)
    except pa.errors.SchemaErrors as err:
        problems, seen = [], set()
        for case in err.failure_cases.itertuples(index=False):
            check = str(case.check)
            if "uniqueness" in check:
                if case.index in seen:
                    continue  # reported once per row, not once per key column
                seen.add(case.index)
                key = TABLES[table].key
                expected = "a unique " + "/".join(key) + " (this key appears on another row too)"
                problems.append(Problem(int(case.index), "/".join(key), expected, None))
                continue
            elif "not_nullable" in check:
                expected = "a value (this column is part of the key)"
            else:
                expected = check
            row = None if pd.isna(case.index) else int(case.index)
            value = case.failure_case
            value = value.item() if hasattr(value, "item") else value  # numpy scalar -> Python
            problems.append(Problem(row, str(case.column), expected, value))
        return problems
    return []
