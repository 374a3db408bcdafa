"""A seeded, deterministic generator of native-format export files for two demo brands.

``write_sample(Path("data/sample"))`` writes what a team would download over 24 months:
Meta post exports and page series, YouTube Studio and TikTok Studio ZIPs, LinkedIn
workbooks, X content exports, GA4 traffic downloads, plus comments, a content plan and a
three competitors per brand (monthly snapshots and six months of their posts) in socialkpi's
canonical CSVs. The demo then goes through the real importers.

Same seed, same bytes: no clocks, sorted iteration, fixed ZIP timestamps. (Longer than 400
lines on purpose: one writer per native export, each shaped like the real file in
``formats.md``, and one shared random stream whose order fixes the bytes; split apart, a
change in one file would silently change the others.)
"""

from __future__ import annotations

import csv
import io
import shutil
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from socialkpi.config.hours import parse_business_hours
from socialkpi.metrics.periods import DEFAULT_TIMEZONE

START, END = date(2024, 11, 1), date(2026, 10, 31)
TIMEZONE = DEFAULT_TIMEZONE  # the sample brands are in Taiwan
_ZIP_TIME = (2026, 11, 1, 0, 0, 0)
_EPOCH_X = 1288834974657


@dataclass(frozen=True)
class Channel:
    """One sample brand's platform: followers, posts per month, content mix, rates."""

    platform: str
    followers: int  # at START
    gains_per_day: float
    posts_per_month: float
    types: dict[str, float]  # content type -> weight
    reach_ratio: float  # typical reach per post as a share of followers
    campaign_month: int  # the month each year with a seasonal campaign


BRANDS = {
    "lumi_tea": {
        "names": {"en": "Lumi Tea", "zh-TW": "露米茶飲"},
        "kind": "b2c",
        "channels": [
            Channel(
                "facebook", 48_000, 38, 12, {"image": 5, "video": 2, "reel": 3, "link": 2}, 0.09, 7
            ),
            Channel("instagram", 31_000, 45, 15, {"image": 4, "reel": 6, "carousel": 4}, 0.16, 7),
            Channel("youtube", 6_200, 9, 3, {"video": 1}, 0.35, 7),
            Channel("tiktok", 12_500, 60, 8, {"video": 1}, 0.6, 7),
        ],
        "competitors": {  # id: names, how it posts, engagements per post per follower
            "forest_tea": (
                {"zh-TW": "茶之森", "en": "Forest Tea"},
                1.3,
                14,
                0.009,
                "茶之森 Forest Tea",
            ),
            "leaf_and_co": ({"zh-TW": "葉語茶坊", "en": "Leaf & Co."}, 0.8, 20, 0.0045, None),
            "cloud_peak": ({"zh-TW": "雲峰茶飲", "en": "Cloud Peak Tea"}, 0.6, 8, 0.003, None),
        },
        "engagement_rate": "engagement_rate_reach",
        "business_hours": "Mon-Sun 10:00-22:00",
        "crisis": date(2026, 9, 14),
    },
    "northwind_cloud": {
        "names": {"en": "Northwind Cloud", "zh-TW": "北風雲端"},
        "kind": "b2b",
        "channels": [
            Channel(
                "linkedin",
                8_400,
                11,
                10,
                {"text": 3, "image": 4, "video": 1, "link": 3, "carousel": 2},
                0.22,
                9,
            ),
            Channel("x", 5_100, 5, 20, {"text": 6, "image": 2, "link": 3}, 0.3, 9),
            Channel("facebook", 9_800, 6, 6, {"image": 3, "link": 3, "video": 1}, 0.07, 9),
        ],
        "competitors": {
            "contoso": (
                {"zh-TW": "康托索系統", "en": "Contoso Systems"},
                1.4,
                16,
                0.012,
                "Contoso Systems",
            ),
            "fabrikam": ({"zh-TW": "法布里坎雲端", "en": "Fabrikam Cloud"}, 0.9, 10, 0.006, None),
            "tailspin": ({"zh-TW": "尾旋數據", "en": "Tailspin Data"}, 0.5, 24, 0.004, None),
        },
        "engagement_rate": "engagement_rate_exposure",
        "business_hours": "Mon-Fri 09:00-18:00",
        "crisis": None,
    },
}

# activity per hour of the day, 0-23 (a table: one row per audience reads better aligned)
_HOURS = {
    "b2c": [1, 0.5, 0.3, 0.2, 0.2, 0.3, 0.8, 1.5, 2, 2, 2, 2.5, 4, 3, 2, 2, 2.5, 3, 4, 5, 6, 6, 4, 2],
    "b2b": [0.2, 0.1, 0.1, 0.1, 0.1, 0.3, 1, 3, 6, 7, 6, 4, 3, 4, 5, 5, 4, 3, 1.5, 1, 0.8, 0.6, 0.4, 0.3],
}  # fmt: skip
_WEEKDAY = {"b2c": [0.9, 0.9, 1.0, 1.0, 1.1, 1.3, 1.2], "b2b": [1.1, 1.2, 1.2, 1.1, 1.0, 0.4, 0.3]}
# per content type: reach multiplier, reaction, comment, share, save, click rates (of reach)
_TYPE = {
    "image": (1.0, 0.045, 0.004, 0.003, 0.004, 0.010),
    "video": (1.2, 0.040, 0.003, 0.005, 0.002, 0.008),
    "reel": (1.9, 0.060, 0.005, 0.009, 0.008, 0.006),
    "carousel": (1.3, 0.055, 0.006, 0.004, 0.012, 0.012),
    "link": (0.7, 0.015, 0.002, 0.002, 0.001, 0.035),
    "text": (0.8, 0.025, 0.004, 0.003, 0.001, 0.006),
}
_TOPICS = {
    "b2c": [
        ("新品上市", "New drink launch"),
        ("門市活動", "In-store event"),
        ("季節限定", "Seasonal special"),
        ("會員優惠", "Member deal"),
        ("茶葉知識", "Tea knowledge"),
        ("幕後花絮", "Behind the scenes"),
    ],
    "b2b": [
        ("產品更新", "Product update"),
        ("客戶案例", "Customer story"),
        ("資安觀點", "Security insight"),
        ("活動邀請", "Event invitation"),
        ("徵才", "We're hiring"),
        ("白皮書", "Whitepaper"),
    ],
}
_COMMENTS = {
    "positive": [
        "好喝！已經回購三次了",
        "包裝好可愛 😍",
        "店員很親切，推推",
        "期待新口味",
        "這杯真的好讚",
        "Love this!",
        "Great service, thanks",
        "Best milk tea in town",
        "Can't wait to try it",
    ],
    "neutral": [
        "請問哪幾間門市有賣？",
        "營業時間到幾點？",
        "有大杯的嗎",
        "外送平台有嗎？",
        "What time do you open?",
        "Is this available in Kaohsiung?",
        "How much is it?",
    ],
    "negative": [
        "等了四十分鐘還沒拿到",
        "太甜了，跟以前不一樣",
        "客服都不回訊息",
        "價格又漲了…",
        "Waited forever for my order",
        "Too expensive now",
        "Nobody answers my messages",
    ],
    "crisis": [
        "喝到異物！！請給個交代",
        "我也喝到奇怪的東西，超噁心",
        "食安問題請說清楚",
        "不敢再買了",
        "退費流程到底在哪",
        "Found something in my drink. Disgusting.",
        "Is it safe to drink?? Answer us",
        "Reported to the health department",
    ],
    "reply": [
        "謝謝您的支持！",
        "感謝回饋，我們已轉達門市",
        "已私訊您，請查收",
        "Thanks for your feedback!",
        "We've sent you a DM.",
    ],
    "crisis_reply": [
        "非常抱歉，我們已啟動調查並私訊您處理退費",
        "We are very sorry. Our team is investigating and will contact you.",
    ],
}
_B2B_COMMENTS = {
    "positive": [
        "很實用的分享",
        "Great insights, thanks for sharing",
        "We use this daily, solid product",
    ],
    "neutral": ["Does this support SSO?", "請問有中文版白皮書嗎？", "Any pricing for startups?"],
    "negative": ["The last update broke our integration", "支援回覆太慢了"],
}


def write_sample(out: Path, seed: int = 2026) -> list[Path]:
    """Write every sample export under ``out`` (replaced whole) and return their paths."""
    files = build_files(seed)
    out = Path(out)
    tmp = out.with_name(out.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    for rel, data in files.items():
        target = tmp / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    shutil.rmtree(out, ignore_errors=True)
    tmp.rename(out)
    return [out / rel for rel in files]


def build_files(seed: int = 2026) -> dict[str, bytes]:
    """Relative path -> file bytes for the whole sample, deterministic for a seed."""
    rng = np.random.default_rng(seed)
    rivals = np.random.default_rng(seed + 1)  # competitors draw from a stream of their own
    planner = np.random.default_rng(seed + 2)  # and so does the content plan
    tester = np.random.default_rng(seed + 3)  # and the A/B tests' schedules
    money_rng = np.random.default_rng(seed + 4)  # and the ad exports and costs
    threads_rng = np.random.default_rng(seed + 5)  # and the Threads pulls
    line_rng = np.random.default_rng(seed + 6)  # and the LINE pulls
    files: dict[str, bytes] = {"brands.yaml": _brands_yaml().encode()}
    files.update({f"logos/{b}.svg": _logo(look) for b, look in LOOKS.items()})
    days = pd.date_range(START, END, freq="D")
    for brand, spec in BRANDS.items():
        posts_by_platform = {}
        for ch in spec["channels"]:
            daily = _followers(rng, ch, days, spec["kind"])
            posts = _posts(rng, ch, spec["kind"], daily)
            posts_by_platform[ch.platform] = posts  # web traffic and comments as untested
            writer = _WRITERS[ch.platform]
            for rel, data in writer(
                rng, brand, ch, daily, _tested(tester, brand, ch.platform, posts)
            ):
                files[f"{brand}/{ch.platform}/{rel}"] = data
        for rel, data in _ga4(rng, spec["kind"], days, posts_by_platform):
            files[f"{brand}/web/{rel}"] = data
        files[f"{brand}/comments.csv"] = _comments(rng, spec, posts_by_platform)
        files[f"{brand}/content_plan.csv"] = _content_plan(planner, spec, posts_by_platform)
        files.update(_money(money_rng, brand, spec))
        files.update(_threads(threads_rng, brand, spec))
        files.update(_line(line_rng, brand))
        snapshots, public = _competitors(rivals, spec, days)
        files[f"{brand}/competitors.csv"] = snapshots
        files[f"{brand}/competitor_posts.csv"] = public
    return files


# the demo agency's white-label client: Lumi Tea's reports carry its own logo, colour and the
# name they come from; Northwind Cloud keeps socialkpi's look
LOOKS = {
    "lumi_tea": {
        "colour": "#0f766e",
        "sender_name": {"zh-TW": "露米茶飲行銷部", "en": "Lumi Tea Marketing"},
        "mark": "露米",
        "word": "LUMI TEA",
    }
}


def _logo(look: dict) -> bytes:
    """A small SVG logo: a leaf in the brand's colour beside its name."""
    colour = look["colour"]
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="150" height="48" viewBox="0 0 150 48">'
        f'<circle cx="24" cy="24" r="22" fill="{colour}"/>'
        '<path d="M14 30 C14 16 26 10 36 12 C36 24 28 34 14 30 Z" fill="#ffffff"/>'
        f'<path d="M16 29 L30 17" stroke="{colour}" stroke-width="2"/>'
        f'<text x="54" y="22" font-family="sans-serif" font-size="15" font-weight="700" fill="{colour}">'
        f"{look['word']}</text>"
        f'<text x="54" y="40" font-family="sans-serif" font-size="12" fill="#4a5568">{look["mark"]}</text>'
        "</svg>\n"
    ).encode()


def _brands_yaml() -> str:
    lines = [
        "# Demo brands. name: shown to readers (one, or one per language); currency: ISO 4217 code of",
        "# revenue; timezone: IANA zone that cuts days and months; engagement_rate: the definition the",
        "# brand reports; business_hours: opening hours for response times; sentiment: scorer;",
        "# competitors: id: {name, aliases (other spellings files use)}; pillars: id: {name, hashtags,",
        "# keywords (in captions), target (share of the month's posts)}; branding: the brand's own",
        "# look in its reports (logo beside this file, colour, sender_name; none: socialkpi's look).",
    ]
    for brand, spec in BRANDS.items():
        lines += [
            f"{brand}:",
            f"  name: {{zh-TW: {spec['names']['zh-TW']}, en: {spec['names']['en']}}}",
            "  currency: TWD",
            f"  timezone: {TIMEZONE}",
            f"  engagement_rate: {spec['engagement_rate']}",
            f"  business_hours: {spec['business_hours']}",
            "  sentiment: lexicon",
            "  competitors:",
        ]
        for cid, (names, *_, alias) in spec["competitors"].items():
            aliases = f", aliases: [{alias}]" if alias else ""
            lines.append(
                f"    {cid}: {{name: {{zh-TW: {names['zh-TW']}, en: {names['en']}}}{aliases}}}"
            )
        lines.append("  pillars:")
        for pid, (zh, en, topics, target) in _PILLARS[spec["kind"]].items():
            tags = ", ".join(_TOPICS[spec["kind"]][i][0] for i in topics)
            words = ", ".join(f'"{_TOPICS[spec["kind"]][i][1]}"' for i in topics)
            lines.append(
                f"    {pid}: {{name: {{zh-TW: {zh}, en: {en}}}, hashtags: [{tags}],"
                f" keywords: [{words}], target: {target}}}"
            )
        if brand in LOOKS:
            look = LOOKS[brand]
            sender = look["sender_name"]
            lines += [
                "  branding:",
                f"    logo: logos/{brand}.svg",
                f'    colour: "{look["colour"]}"',
                f"    sender_name: {{zh-TW: {sender['zh-TW']}, en: {sender['en']}}}",
            ]
    return "\n".join(lines) + "\n"


# --- simulation -------------------------------------------------------------------------


def _season(days: pd.DatetimeIndex, month: int) -> np.ndarray:
    return np.where(days.month == month, 1.6, 1.0)


def _followers(rng, ch: Channel, days: pd.DatetimeIndex, kind: str) -> pd.DataFrame:
    t = np.arange(len(days)) / len(days)
    weekday = np.array(_WEEKDAY[kind])[days.day_of_week]  # B2B audiences follow on workdays
    lam = ch.gains_per_day * (1 + 0.8 * t) * _season(days, ch.campaign_month) * weekday
    gains = rng.poisson(lam)
    losses = rng.poisson(0.22 * lam + 0.00015 * ch.followers)
    followers = ch.followers + np.cumsum(gains - losses)
    views = rng.poisson(followers * 0.05 * _season(days, ch.campaign_month))
    return pd.DataFrame(
        {"date": days, "followers": followers, "gains": gains, "losses": losses, "views": views}
    )


def _posts(rng, ch: Channel, kind: str, daily: pd.DataFrame) -> pd.DataFrame:
    rows = []
    types = list(ch.types)
    weights = np.array([ch.types[t] for t in types], dtype=float)
    hours = np.array(_HOURS[kind], dtype=float)
    for month in pd.period_range(START, END, freq="M"):
        month_days = pd.date_range(month.start_time, month.end_time.normalize(), freq="D")
        day_w = np.array(_WEEKDAY[kind])[month_days.day_of_week]
        n = rng.poisson(ch.posts_per_month * (1.3 if month.month == ch.campaign_month else 1.0))
        for _ in range(n):
            day = month_days[rng.choice(len(month_days), p=day_w / day_w.sum())]
            hour = int(rng.choice(24, p=hours / hours.sum()))
            when = day + pd.Timedelta(hours=hour, minutes=int(rng.integers(0, 60)))
            ctype = types[rng.choice(len(types), p=weights / weights.sum())]
            followers = daily.loc[daily["date"] == day, "followers"].iloc[0]
            mult, r_react, r_com, r_share, r_save, r_click = _TYPE[ctype]
            season = 1.6 if month.month == ch.campaign_month else 1.0
            hour_effect = 0.7 + 0.6 * hours[hour] / hours.max()
            reach = int(
                followers * ch.reach_ratio * mult * season * hour_effect * rng.lognormal(0, 0.75)
            )
            reach = max(reach, 20)
            rows.append(
                {
                    "published": when,
                    "type": ctype,
                    "reach": reach,
                    "views": int(reach * rng.uniform(1.15, 1.7)),
                    "reactions": int(rng.binomial(reach, r_react)),
                    "comments": int(rng.binomial(reach, r_com)),
                    "shares": int(rng.binomial(reach, r_share)),
                    "saves": int(rng.binomial(reach, r_save)),
                    "clicks": int(rng.binomial(reach, r_click + 0.01)),
                    "link_clicks": int(rng.binomial(reach, r_click)) if ctype == "link" else 0,
                    "follows": int(rng.binomial(reach, 0.0015)),
                    "watch_s": float(round(reach * rng.uniform(4, 25), 1)),
                    "topic": int(rng.integers(0, 6)),
                }
            )
    posts = pd.DataFrame(rows).sort_values("published", kind="stable").reset_index(drop=True)
    posts["seq"] = np.arange(len(posts))
    return posts


# the sample's organic tests (data/experiments/lumi_tea.yaml): brand, platform, period, the
# variants' hashtags and the true lift of the second variant's engagement
TESTS = [
    ("lumi_tea", "instagram", "2026-09-01", "2026-10-31", ("#試A", "#試B"), 1.4),
    ("lumi_tea", "facebook", "2026-09-01", "2026-10-31", ("#短文案", "#長文案"), 1.0),
]


def _tested(rng, brand: str, platform: str, posts: pd.DataFrame) -> pd.DataFrame:
    """Posts with the hashtag of the test variant each went out as (``tag``, else ""),
    scheduled by ``experiments.schedule``; the second variant's engagement scaled by the
    test's true lift."""
    from socialkpi.metrics import evidence
    from socialkpi.steps.experiments import analysis as experiments

    out = posts.assign(tag="")  # a copy: the caller's posts stay as they were
    for b, p, start, end, tags, lift in TESTS:
        if (b, p) != (brand, platform):
            continue
        inside = out["published"].between(
            pd.Timestamp(start), pd.Timestamp(end) + pd.Timedelta(days=1)
        )
        slots = pd.DataFrame(
            {
                "day": out.loc[inside, "published"].dt.normalize(),
                "daypart": evidence.daypart(out.loc[inside, "published"].dt.hour),
            }
        )
        variant = experiments.schedule(slots, list(tags), seed=int(rng.integers(1 << 31)))
        out.loc[inside, "tag"] = variant.to_numpy(dtype=object)
        second = out["tag"].eq(tags[1])
        for col in ("reactions", "comments", "shares", "saves", "clicks"):
            out.loc[second, col] = (out.loc[second, col] * lift).round().astype(int)
    return out


def _matured(posts: pd.DataFrame, export: pd.Timestamp, cols: list[str]) -> pd.DataFrame:
    """Lifetime counts as of the export day: young posts have not collected them all yet."""
    out = posts.copy()
    age = (export - out["published"]).dt.total_seconds() / 86400
    factor = 1 - np.exp(-(age.clip(lower=0) + 0.3) / 1.5)
    for c in cols:
        out[c] = (out[c] * factor).round().astype(int)
    return out


def _caption(kind: str, topic: int, seq: int, lang_zh: bool, tag: str = "") -> str:
    zh, en = _TOPICS[kind][topic]
    if tag:  # a test post: the topic's hashtag first, then the variant's
        return f"{zh}｜第 {seq} 篇 #{zh} {tag}"
    return f"{zh}｜第 {seq} 篇 #{zh}" if lang_zh else f"{en} — post {seq}"


# --- writers, one per platform ---------------------------------------------------------


def _csv(
    rows: list[list], encoding: str = "utf-8-sig", quote_all: bool = False, end: str = "\n"
) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(
        buf, lineterminator="\n", quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL
    )
    writer.writerows(rows)
    text = buf.getvalue()
    if end == "":
        text = text.rstrip("\n")
    return text.encode(encoding)


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return buf.getvalue()


def _xlsx(sheets: dict[str, list[list]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.properties.created = datetime(2026, 11, 1)
    buf = io.BytesIO()
    book.save(buf)
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as src:  # restamp: openpyxl uses the clock
        members = {i.filename: src.read(i) for i in src.infolist()}
    core = members["docProps/core.xml"].decode()
    start = core.index("<dcterms:modified")
    end = core.index("</dcterms:modified>") + len("</dcterms:modified>")
    fixed_modified = (
        '<dcterms:modified xsi:type="dcterms:W3CDTF">2026-11-01T00:00:00Z</dcterms:modified>'
    )
    members["docProps/core.xml"] = (core[:start] + fixed_modified + core[end:]).encode()
    return _zip(members)


def _months(posts: pd.DataFrame):
    for month in pd.period_range(START, END, freq="M"):
        export = month.end_time.normalize()
        chunk = posts[posts["published"].dt.to_period("M") == month]
        yield (
            month,
            export,
            _matured(
                chunk,
                export,
                [
                    "reach",
                    "views",
                    "reactions",
                    "comments",
                    "shares",
                    "saves",
                    "clicks",
                    "link_clicks",
                    "follows",
                    "watch_s",
                ],
            ),
        )


def _meta_name(month: pd.Period) -> str:
    start, end = month.start_time, month.end_time
    return f"{start:%b-%d-%Y}_{end:%b-%d-%Y}_{10398293086569 + month.ordinal}.csv"


def _facebook(rng, brand, ch, daily, posts):
    fb_type = {"image": "Photos", "video": "Videos", "reel": "Reels", "link": "Links"}
    header = [
        "Post ID",
        "Page ID",
        "Page name",
        "Title",
        "Description",
        "Duration (sec)",
        "Publish time",
        "Caption type",
        "Permalink",
        "Is crosspost",
        "Is share",
        "Post type",
        "Languages",
        "Custom labels",
        "Funded content status",
        "Data comment",
        "Date",
        "Views",
        "Reach",
        "Reactions, Comments and Shares",
        "Reactions",
        "Comments",
        "Shares",
        "Total clicks",
        "Other Clicks",
        "Link Clicks",
        "Seconds viewed",
    ]
    page = 61571000000000 + len(brand)
    boosting = ["Reach from Organic posts", "Reach from Boosted posts"]
    kind = BRANDS[brand]["kind"]
    for month, _, chunk in _months(posts):
        split = str(month) >= BOOSTED_FROM  # newer exports split reach into organic and boosted
        rows = [header + boosting if split else header]
        for p in chunk.itertuples():
            caption = _caption(kind, p.topic, p.seq, kind == "b2c" or p.seq % 3 == 0, p.tag)
            video = p.type in ("video", "reel")
            boosted = round(p.reach * 0.45) if split and p.seq % 5 == 1 else 0
            rows.append(
                [
                    f"{page}_{122158000000000000 + p.seq * 7919}",
                    page,
                    BRANDS[brand]["names"]["en"],
                    caption if video else "",
                    "" if video else caption,
                    int(rng.integers(15, 180)) if video else "",
                    f"{p.published:%m/%d/%Y %H:%M}",
                    "",
                    f"https://www.facebook.com/{page}/posts/{p.seq}",
                    "No",
                    "No",
                    fb_type[p.type],
                    "",
                    "",
                    "",
                    "",
                    "Lifetime",
                    f"{p.views:,}" if p.views > 9999 and p.seq % 5 == 0 else p.views,
                    p.reach,
                    p.reactions + p.comments + p.shares,
                    p.reactions,
                    p.comments,
                    p.shares,
                    p.clicks,
                    max(p.clicks - p.link_clicks, 0),
                    p.link_clicks,
                    p.watch_s if video else "",
                    *([p.reach - boosted, boosted] if split else []),
                ]
            )
        yield f"{_meta_name(month)}", _csv(rows)
    yield from _meta_page_series(brand, ch, daily, posts)


def _meta_page_series(brand, ch, daily, posts):
    name = "Facebook" if ch.platform == "facebook" else "Instagram"
    per_day = posts.groupby(posts["published"].dt.normalize())[
        ["reactions", "comments", "shares", "reach"]
    ].sum()
    joined = daily.set_index("date").join(per_day).fillna(0)
    series = {
        f"{name} followers": joined["followers"],
        f"{name} follows": joined["gains"],
        "Views": joined["views"] + joined["reach"] * 1.3,
        "Viewers": joined["views"] * 0.6 + joined["reach"],
        "Content interactions": joined["reactions"] + joined["comments"] + joined["shares"],
    }
    if ch.platform == "instagram":
        series = {k: v for k, v in series.items() if k.startswith("Instagram")}
    for metric, values in series.items():
        lines = ["sep=,", f'"{metric}"', '"Date","Primary"']
        lines += [f'"{d:%Y-%m-%dT00:00:00}","{int(v)}"' for d, v in values.items()]
        name = metric.replace(" ", "_")
        yield (
            f"page_daily/{name}_{START:%Y-%m-%d}_{END:%Y-%m-%d}.csv",
            ("\n".join(lines) + "\n").encode("utf-16"),
        )
    b2b = BRANDS[brand]["kind"] == "b2b"
    if ch.platform == "instagram":
        return
    rows = [["Age & gender"], ["Age", "Women", "Men"]]
    for age, w, m in [
        ("18-24", 12.1, 7.4),
        ("25-34", 24.6, 13.2),
        ("35-44", 14.0, 9.1),
        ("45-54", 7.2, 5.3),
        ("55-64", 3.1, 2.4),
        ("65+", 1.0, 0.6),
    ]:
        rows.append([age, m, w] if b2b else [age, w, m])
    text = _csv(rows, "utf-8").decode() + "\n"
    text += _csv(
        [
            ["Top cities"],
            ["City", "Value"],
            ["Taipei, Taiwan", 0.38],
            ["New Taipei, Taiwan", 0.21],
            ["Taichung, Taiwan", 0.14],
            ["Kaohsiung, Taiwan", 0.11],
            ["Hong Kong", 0.06],
        ],
        "utf-8",
    ).decode()
    text += (
        "\n"
        + _csv(
            [
                ["Top countries"],
                ["Country", "Value"],
                ["TW", 0.86],
                ["HK", 0.07],
                ["MY", 0.03],
                ["US", 0.02],
            ],
            "utf-8",
        ).decode()
    )
    yield f"audience/Audience_{END:%Y-%m-%d}.csv", b"\xef\xbb\xbf" + text.encode()


def _instagram(rng, brand, ch, daily, posts):
    ig_type = {"image": "IG image", "reel": "IG reel", "carousel": "IG carousel"}
    header = [
        "Post ID",
        "Account ID",
        "Account username",
        "Account name",
        "Description",
        "Duration (sec)",
        "Publish time",
        "Permalink",
        "Post type",
        "Data comment",
        "Date",
        "Views",
        "Reach",
        "Likes",
        "Shares",
        "Follows",
        "Comments",
        "Saves",
    ]
    account = 17841400000000000 + len(brand)
    for month, _, chunk in _months(posts):
        rows = [header]
        for p in chunk.itertuples():
            rows.append(
                [
                    18000000000000000 + p.seq * 104729,
                    account,
                    brand.replace("_", "."),
                    BRANDS[brand]["names"]["en"],
                    _caption("b2c", p.topic, p.seq, p.seq % 4 != 0, p.tag),
                    int(rng.integers(7, 90)) if p.type == "reel" else "",
                    f"{p.published:%m/%d/%Y %H:%M}",
                    f"https://www.instagram.com/p/S{p.seq:05d}/",
                    ig_type[p.type],
                    "",
                    "Lifetime",
                    f"{p.views:,}",
                    p.reach,
                    p.reactions,
                    p.shares,
                    p.follows,
                    p.comments,
                    p.saves,
                ]
            )
        yield _meta_name(month), _csv(rows)
    yield from _meta_page_series(brand, ch, daily, posts)


def _youtube(rng, brand, ch, daily, posts):
    export = pd.Timestamp(END)
    mature = _matured(
        posts, export, ["views", "reach", "reactions", "comments", "shares", "watch_s", "follows"]
    )
    header = [
        "Content",
        "Video title",
        "Video publish time",
        "Duration",
        "Views",
        "Watch time (hours)",
        "Subscribers",
        "Impressions",
        "Impressions click-through rate (%)",
    ]
    rows, body = [header], []
    for p in mature.itertuples():
        vid = "".join(
            rng.choice(list("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"), 11)
        )
        net = p.follows - int(rng.integers(0, 6))
        impressions = int(p.views * rng.uniform(6, 14))
        body.append(
            [
                (" " + vid) if vid.startswith("-") else vid,
                _caption("b2c", p.topic, p.seq, True),
                f"{p.published:%b %d, %Y}",
                int(rng.integers(45, 900)),
                p.views,
                round(p.watch_s * 6 / 3600, 4),
                net,
                impressions,
                round(100 * p.views / max(impressions, 1) * 0.5, 2),
            ]
        )
    total = [
        "Total",
        "",
        "",
        "",
        sum(r[4] for r in body),
        round(sum(r[5] for r in body), 4),
        sum(r[6] for r in body),
        sum(r[7] for r in body),
        "",
    ]
    rows += [total, *body]
    totals = [["Date", "Views"]] + [
        [f"{d:%Y-%m-%d}", int(v)] for d, v in zip(daily["date"], daily["views"], strict=True)
    ]
    chart = [["Date", "Content", "Video title", "Video publish time", "Duration", "Views"]]
    for r in body[-5:]:
        for d in pd.date_range(END - timedelta(days=27), END):
            chart.append(
                [f"{d:%Y-%m-%d}", r[0], r[1], r[2], r[3], int(rng.poisson(max(r[4], 28) / 28))]
            )
    members = {
        "Table data.csv": _csv(rows, "utf-8"),
        "Chart data.csv": _csv(chart, "utf-8"),
        "Totals.csv": _csv(totals, "utf-8"),
    }
    yield f"youtube_analytics_{END:%Y-%m-%d}.zip", _zip(members)


def _tiktok_id(published: pd.Timestamp, seq: int) -> int:
    """A video id as TikTok makes them: the Unix time of posting in the upper 32 bits (the
    local time read in the sample's zone), other bits below."""
    seconds = int(published.tz_localize(TIMEZONE).tz_convert("UTC").timestamp())
    return (seconds << 32) | (seq * 2654435761 & 0xFFFFFFFF)


def _tiktok(rng, brand, ch, daily, posts):
    def day(d):
        return f"{d:%B} {d.day}"

    for month, export, chunk in _months(posts):
        days = daily[(daily["date"] >= month.start_time) & (daily["date"] <= export)]
        overview = [["Date", "Video Views", "Profile Views", "Likes", "Comments", "Shares"]]
        for r in days.itertuples():
            v = int(r.views * 2.5)
            overview.append(
                [day(r.date), v, int(v * 0.02), int(v * 0.07), int(v * 0.004), int(v * 0.003)]
            )
        content = [
            [
                "Time",
                "Video title",
                "Video link",
                "Post time",
                "Total likes",
                "Total comments",
                "Total shares",
                "Total views",
            ]
        ]
        for p in chunk.itertuples():
            content.append(
                [
                    day(export),
                    _caption("b2c", p.topic, p.seq, True),
                    f"https://www.tiktok.com/@lumitea/video/{_tiktok_id(p.published, p.seq)}",
                    day(p.published),
                    p.reactions * 2,
                    p.comments,
                    p.shares,
                    p.views * 2,
                ]
            )
        history = [["Date", "Followers", "Difference in followers from previous day"]]
        history += [
            [day(r.date), int(r.followers), int(r.gains - r.losses)] for r in days.itertuples()
        ]
        activity = [["Date", "Hour", "Active followers"]]
        last_week = days.tail(7)
        for r in last_week.itertuples():
            for h in range(24):
                activity.append(
                    [
                        day(r.date),
                        h,
                        int(
                            r.followers
                            * _HOURS[BRANDS[brand]["kind"]][h]
                            / 12
                            * rng.uniform(0.9, 1.1)
                        ),
                    ]
                )
        female = round(0.60 + 0.002 * month.ordinal % 0.07, 3)
        gender = [
            ["Gender", "Distribution"],
            ["Female", female],
            ["Male", round(0.98 - female, 3)],
            ["Other", 0.02],
        ]
        territories = [
            ["Top territories", "Distribution"],
            ["TW", round(0.78 + 0.001 * (month.ordinal % 40), 3)],
            ["HK", 0.09],
            ["MY", 0.05],
            ["US", 0.03],
            ["JP", 0.02],
        ]
        viewers = [["Date", "Total Viewers", "New Viewers", "Returning Viewers"]]
        for i, r in enumerate(days.itertuples()):
            total = int(r.views * 1.6)
            viewers.append(
                [day(r.date), "undefined" if i == 0 else total, int(total * 0.7), int(total * 0.3)]
            )
        members = {
            "Overview.csv": _csv(overview, quote_all=True, end=""),
            "Content.csv": _csv(content, quote_all=True, end=""),
            "FollowerHistory.csv": _csv(history, quote_all=True, end=""),
            "FollowerActivity.csv": _csv(activity, quote_all=True, end=""),
            "FollowerGender.csv": _csv(gender, quote_all=True, end=""),
            "FollowerTopTerritories.csv": _csv(territories, quote_all=True, end=""),
            "Viewers.csv": _csv(viewers, quote_all=True, end=""),
        }
        yield f"TikTok_Studio_{export:%Y-%m-%d}.zip", _zip(members)


def _linkedin(rng, brand, ch, daily, posts):
    li_type = {
        "text": "Text",
        "image": "Image",
        "video": "Video",
        "link": "Article",
        "carousel": "Document",
    }
    cols = ["reach", "views", "reactions", "comments", "shares", "clicks"]
    by_day = posts.groupby(posts["published"].dt.normalize())[cols].sum()
    joined = daily.drop(columns="views").set_index("date").join(by_day).fillna(0)
    for quarter in pd.period_range(START, END, freq="Q"):
        q_start, q_end = (
            max(quarter.start_time, pd.Timestamp(START)),
            min(quarter.end_time.normalize(), pd.Timestamp(END)),
        )
        export = q_end + pd.Timedelta(days=1)
        part = joined.loc[q_start:q_end]
        metrics = [
            ["Aggregated metrics for all posts, by day. Dates in the page's time zone."],
            [
                "Date",
                "Impressions (organic)",
                "Impressions (sponsored)",
                "Impressions (total)",
                "Unique impressions (organic)",
                "Clicks (organic)",
                "Clicks (sponsored)",
                "Clicks (total)",
                "Reactions (organic)",
                "Reactions (sponsored)",
                "Reactions (total)",
                "Comments (organic)",
                "Comments (sponsored)",
                "Comments (total)",
                "Reposts (organic)",
                "Reposts (sponsored)",
                "Reposts (total)",
                "Engagement rate (organic)",
                "Engagement rate (sponsored)",
                "Engagement rate (total)",
            ],
        ]
        for d, r in part.iterrows():
            imp = int(r["views"] * 0.3 + r["reach"] * 1.4)
            eng = int(r["reactions"] + r["comments"] + r["shares"] + r["clicks"])
            rate = round(eng / imp, 6) if imp else 0
            metrics.append(
                [
                    f"{d:%m/%d/%Y}",
                    imp,
                    0,
                    imp,
                    int(imp * 0.7),
                    int(r["clicks"]),
                    0,
                    int(r["clicks"]),
                    int(r["reactions"]),
                    0,
                    int(r["reactions"]),
                    int(r["comments"]),
                    0,
                    int(r["comments"]),
                    int(r["shares"]),
                    0,
                    int(r["shares"]),
                    rate,
                    0,
                    rate,
                ]
            )
        chunk = _matured(
            posts[
                (posts["published"] >= q_start)
                & (posts["published"] < q_end + pd.Timedelta(days=1))
            ],
            export,
            ["reach", "views", "reactions", "comments", "shares", "clicks", "follows"],
        )
        all_posts = [
            ["All posts in the selected date range."],
            [
                "Post title",
                "Post link",
                "Post type",
                "Campaign name",
                "Posted by",
                "Created date",
                "Campaign start date",
                "Campaign end date",
                "Audience",
                "Impressions",
                "Views (excluding off-site video views)",
                "Off-site views",
                "Clicks",
                "Click through rate (CTR)",
                "Likes",
                "Comments",
                "Reposts",
                "Follows",
                "Engagement rate",
                "Content Type",
            ],
        ]
        for p in chunk.itertuples():
            imp = int(p.reach * 1.4)
            all_posts.append(
                [
                    _caption("b2b", p.topic, p.seq, p.seq % 2 == 0),
                    f"https://www.linkedin.com/feed/update/urn:li:activity:{7100000000000000000 + p.seq * 7777}",
                    "Sponsored" if p.seq % 17 == 0 else "Organic",
                    "",
                    "Marketing Team",
                    f"{p.published:%m/%d/%Y}",
                    "",
                    "",
                    "All followers",
                    imp,
                    p.views if p.type == "video" else "",
                    "",
                    p.clicks,
                    round(p.clicks / max(imp, 1), 6),
                    p.reactions,
                    p.comments,
                    p.shares,
                    p.follows,
                    round((p.clicks + p.reactions + p.comments + p.shares) / max(imp, 1), 6),
                    li_type[p.type],
                ]
            )
        stamp = int(export.tz_localize("UTC").timestamp() * 1000) + 3_600_000
        yield (
            f"northwind-cloud_content_{stamp}.xlsx",
            _xlsx({"Metrics": metrics, "All posts": all_posts}),
        )
    stamp = (
        int(pd.Timestamp(END + timedelta(days=1)).tz_localize("UTC").timestamp() * 1000) + 3_600_000
    )
    new = [
        [
            "Date",
            "Sponsored followers",
            "Organic followers",
            "Auto-invited followers",
            "Total followers",
        ]
    ]
    for r in daily.itertuples():
        sponsored = int(r.gains * 0.1)
        new.append([f"{r.date:%m/%d/%Y}", sponsored, r.gains - sponsored, 0, r.gains])
    demo = {
        "Location": [
            ["Location", "Total followers"],
            ["Taipei City, Taiwan", 3900],
            ["New Taipei City, Taiwan", 1400],
            ["Hsinchu, Taiwan", 1100],
            ["Hong Kong SAR", 640],
            ["Singapore", 420],
        ],
        "Job function": [
            ["Job function", "Total followers"],
            ["Information Technology", 3100],
            ["Engineering", 2200],
            ["Operations", 900],
            ["Business Development", 700],
            ["Finance", 380],
        ],
        "Seniority": [
            ["Seniority", "Total followers"],
            ["Senior", 3300],
            ["Entry", 2100],
            ["Manager", 1600],
            ["Director", 620],
            ["CXO", 210],
        ],
        "Industry": [
            ["Industry", "Total followers"],
            ["IT Services and IT Consulting", 2900],
            ["Semiconductor Manufacturing", 1500],
            ["Financial Services", 1100],
            ["Retail", 480],
        ],
        "Company size": [
            ["Company size", "Total followers"],
            ["1-10", 900],
            ["11-50", 1300],
            ["51-200", 1700],
            ["201-500", 1400],
            ["501-1000", 1000],
            ["1001-5000", 1200],
        ],
    }
    yield f"northwind-cloud_followers_{stamp}.xlsx", _xlsx({"New followers": new, **demo})
    visitors = [
        [
            "Date",
            "Overview page views (desktop)",
            "Overview page views (mobile)",
            "Overview page views (total)",
            "Overview unique visitors (desktop)",
            "Overview unique visitors (mobile)",
            "Overview unique visitors (total)",
            "Total page views (desktop)",
            "Total page views (mobile)",
            "Total page views (total)",
            "Total unique visitors (desktop)",
            "Total unique visitors (mobile)",
            "Total unique visitors (total)",
        ]
    ]
    for r in daily.itertuples():
        views = int(rng.poisson(r.followers * 0.006 * (0.4 if r.date.weekday() >= 5 else 1)))
        desk = int(views * 0.6)
        visitors.append(
            [
                f"{r.date:%m/%d/%Y}",
                desk,
                views - desk,
                views,
                int(desk * 0.7),
                int((views - desk) * 0.7),
                int(views * 0.7),
                desk,
                views - desk,
                views,
                int(desk * 0.7),
                int((views - desk) * 0.7),
                int(views * 0.7),
            ]
        )
    yield f"northwind-cloud_visitors_{stamp}.xlsx", _xlsx({"Visitor metrics": visitors})


def _x(rng, brand, ch, daily, posts):
    header = [
        "Post id",
        "Date",
        "Post text",
        "Post Link",
        "Impressions",
        "Likes",
        "Engagements",
        "Bookmarks",
        "Shares",
        "New follows",
        "Replies",
        "Reposts",
        "Profile visits",
        "Detail Expands",
        "URL Clicks",
        "Hashtag Clicks",
        "Permalink Clicks",
    ]
    for month, export, chunk in _months(posts):
        rows = [header]
        for p in chunk.itertuples():
            utc = p.published.tz_localize(TIMEZONE).tz_convert("UTC")
            ms = int(utc.timestamp() * 1000)
            post_id = ((ms - _EPOCH_X) << 22) | (p.seq % 4096)
            imp = int(p.reach * 1.5)
            url = p.link_clicks
            expands = int(p.clicks * 0.5)
            eng = p.reactions + p.comments + p.shares + p.clicks + p.saves
            rows.append(
                [
                    post_id,
                    f"{p.published:%a, %b %d, %Y}",
                    _caption("b2b", p.topic, p.seq, p.seq % 3 == 0),
                    f"https://x.com/northwindcloud/status/{post_id}",
                    imp,
                    p.reactions,
                    eng,
                    p.saves,
                    int(p.shares * 0.2),
                    p.follows,
                    p.comments,
                    p.shares,
                    int(p.clicks * 0.3),
                    expands,
                    url,
                    int(p.clicks * 0.05),
                    int(p.clicks * 0.1),
                ]
            )
        yield (
            f"account_analytics_content_{month.start_time:%Y-%m-%d}_{export:%Y-%m-%d}.csv",
            _csv(rows, "utf-8"),
        )


def _ga4(rng, kind, days, posts_by_platform):
    sources = {
        "facebook": "m.facebook.com / referral",
        "instagram": "l.instagram.com / referral",
        "youtube": "youtube.com / referral",
        "tiktok": "tiktok.com / referral",
        "linkedin": "linkedin.com / referral",
        "x": "t.co / referral",
    }
    clicks = {}
    for platform, posts in posts_by_platform.items():
        c = posts.groupby(posts["published"].dt.normalize())["clicks"].sum()
        clicks[sources[platform]] = c.reindex(days, fill_value=0)
    base = {
        "google / organic": 420 if kind == "b2c" else 160,
        "(direct) / (none)": 260 if kind == "b2c" else 90,
    }
    cr = 0.035 if kind == "b2c" else 0.012
    for month in pd.period_range(START, END, freq="M"):
        mdays = pd.date_range(month.start_time, month.end_time.normalize(), freq="D")
        rows = [
            [
                "Date",
                "Session source / medium",
                "Sessions",
                "Engaged sessions",
                "Engagement rate",
                "Average engagement time per session",
                "Events per session",
                "Event count",
                "Key events",
                "Session key event rate",
                "Total revenue",
            ]
        ]
        for d in mdays:
            weekday = _WEEKDAY[kind][d.weekday()]
            for source in sorted(list(base) + list(clicks)):
                lam = (
                    base[source] * weekday
                    if source in base
                    else 12 + 0.35 * clicks[source].get(d, 0)
                )
                sessions = int(rng.poisson(lam))
                if sessions == 0:
                    continue
                engaged = int(rng.binomial(sessions, 0.62))
                keys = int(rng.binomial(sessions, cr * (1.4 if source in base else 1.0)))
                revenue = (
                    round(float(keys * rng.lognormal(np.log(380), 0.3)), 2) if kind == "b2c" else 0
                )
                events = int(sessions * rng.uniform(4, 7))
                rows.append(
                    [
                        f"{d:%Y%m%d}",
                        source,
                        sessions,
                        engaged,
                        round(engaged / sessions, 4),
                        round(float(rng.uniform(30, 140)), 4),
                        round(events / sessions, 4),
                        events,
                        keys,
                        round(keys / sessions, 4),
                        revenue,
                    ]
                )
        preamble = (
            "# ----------------------------------------\n# Traffic acquisition: Session source / medium\n"
            f"# Account: Demo\n# Property: Demo - GA4\n# ----------------------------------------\n"
            f"# Start date: {month.start_time:%Y%m%d}\n# End date: {month.end_time:%Y%m%d}\n"
        )
        name = f"Traffic_acquisition_Session_source_medium_{month.start_time:%Y%m%d}-{month.end_time:%Y%m%d}.csv"
        yield name, preamble.encode() + _csv(rows, "utf-8")


def _comments(rng, spec, posts_by_platform) -> bytes:
    kind = spec["kind"]
    pools = _COMMENTS if kind == "b2c" else {**_COMMENTS, **_B2B_COMMENTS}
    rows = [
        [
            "comment_id",
            "platform",
            "post_id",
            "created_at",
            "author",
            "text",
            "is_brand_reply",
            "parent_id",
        ]
    ]
    n = 0
    hours = parse_business_hours(spec["business_hours"])
    for platform in sorted(posts_by_platform):
        posts = posts_by_platform[platform]
        for p in posts.itertuples():
            for _ in range(min(int(rng.poisson(2.5)), 6)):
                mood = rng.choice(["positive", "neutral", "negative"], p=[0.55, 0.3, 0.15])
                n += 1
                created = p.published + pd.Timedelta(minutes=int(rng.exponential(600)))
                rows.append(_comment_row(rng, n, platform, p.seq, created, pools[mood]))
                if rng.random() < 0.75:  # the team replies while open: a delay in open hours
                    delay = pd.Timedelta(minutes=int(rng.lognormal(np.log(90), 0.8)))
                    replied = _open_time_after(created, delay, hours)
                    rows.append(_reply_row(rng, n, platform, p.seq, replied, _COMMENTS["reply"]))
    if spec["crisis"] is not None:
        start = pd.Timestamp(spec["crisis"]) + pd.Timedelta(hours=9)
        for i in range(140):
            n += 1
            platform = "facebook" if i % 3 else "instagram"
            created = start + pd.Timedelta(minutes=int(rng.gamma(2, 14 * 60)))
            rows.append(_comment_row(rng, n, platform, "crisis", created, _COMMENTS["crisis"]))
            if rng.random() < 0.4:
                delay = pd.Timedelta(minutes=int(rng.uniform(12, 40) * 60))
                rows.append(
                    _reply_row(
                        rng, n, platform, "crisis", created + delay, _COMMENTS["crisis_reply"]
                    )
                )
    header, body = rows[0], rows[1:]
    body.sort(key=lambda r: (r[3], r[0]))
    return _csv([header, *body])


def _open_time_after(start: pd.Timestamp, delay: pd.Timedelta, hours) -> pd.Timestamp:
    """The local wall time when ``delay`` of open hours have passed since ``start``."""
    if hours is None:
        return start + delay
    left, now = delay, start
    while True:
        day = now.normalize()
        opens, closes = day + _since_midnight(hours.start), day + _since_midnight(hours.end)
        if now.weekday() in hours.weekdays and now < closes:
            now = max(now, opens)
            if now + left <= closes:
                return now + left
            left -= closes - now
        now = day + pd.Timedelta(days=1)


def _since_midnight(t) -> pd.Timedelta:
    return pd.Timedelta(hours=t.hour, minutes=t.minute)


def _comment_row(rng, n, platform, seq, created, pool):
    author = f"user{int(rng.integers(1, 4000)):04d}"
    return [
        f"c{n:06d}",
        platform,
        f"{platform}-{seq}",
        created.tz_localize(TIMEZONE).tz_convert("UTC").isoformat(),
        author,
        str(rng.choice(pool)),
        "false",
        "",
    ]


def _reply_row(rng, n, platform, seq, created, pool):
    return [
        f"r{n:06d}",
        platform,
        f"{platform}-{seq}",
        created.tz_localize(TIMEZONE).tz_convert("UTC").isoformat(),
        "brand",
        str(rng.choice(pool)),
        "true",
        f"c{n:06d}",
    ]


# content pillars: id -> (zh-TW name, en name, the topics (indexes into _TOPICS) they gather, target)
_PILLARS = {
    "b2c": {
        "product": ("新品與季節", "Products and seasons", (0, 2), 0.35),
        "deals": ("門市與優惠", "Stores and deals", (1, 3), 0.30),
        "knowledge": ("茶葉知識", "Tea knowledge", (4,), 0.20),
        "story": ("品牌故事", "Brand story", (5,), 0.15),
    },
    "b2b": {
        "product": ("產品與白皮書", "Product and papers", (0, 5), 0.30),
        "customers": ("客戶案例", "Customer stories", (1,), 0.25),
        "insight": ("資安觀點", "Security insight", (2,), 0.25),
        "people": ("活動與徵才", "Events and people", (3, 4), 0.20),
    },
}
_OWNERS = {"b2c": ("小美", "阿明"), "b2b": ("Jenny", "Kevin")}


def _pillar_of(kind: str, topic: int) -> str:
    return next(k for k, (*_, topics, _t) in _PILLARS[kind].items() if topic in topics)


def _content_plan(rng, spec, posts_by_platform) -> bytes:
    """The team's plan: the seasonal campaign (one flagged item a day), then six months planned
    from the posts that went out (most on time, some late, some never planned) plus items that
    were missed or cancelled, and part of the month after the data already planned."""
    kind = spec["kind"]
    pillars = _PILLARS[kind]
    rows = [
        [
            "planned_id", "planned_for", "platform", "content_type", "topic", "status",
            "campaign", "owner",
        ]
    ]  # fmt: skip
    n = 0

    def add(day, platform, ctype, pillar, status, campaign="false"):
        nonlocal n
        n += 1
        owner = _OWNERS[kind][n % 2]
        rows.append(
            [f"P{n:04d}", f"{day:%Y-%m-%d}", platform, ctype, pillars[pillar][0], status, campaign,
             owner]
        )  # fmt: skip

    campaign = spec["channels"][0].campaign_month
    for year in (2025, 2026):
        for i, day in enumerate(pd.date_range(f"{year}-{campaign:02d}-01", freq="D",
                periods=pd.Period(f"{year}-{campaign:02d}").days_in_month)):  # fmt: skip
            ch = spec["channels"][(i + 1) % len(spec["channels"])]
            add(day, ch.platform, list(ch.types)[0], next(iter(pillars)), "published", "true")
    first = pd.Period(END, "M") - 5
    for ch in spec["channels"]:
        posts = posts_by_platform[ch.platform]
        recent = posts[posts["published"] >= first.start_time]
        for p in recent.itertuples():
            if pd.Period(p.published, "M").month == campaign:
                continue
            draw = rng.random()
            day = p.published.normalize()
            pillar = _pillar_of(kind, p.topic)
            if draw < 0.68:  # kept: planned for that day or the next
                add(day + pd.Timedelta(days=int(rng.integers(0, 2))), ch.platform, p.type, pillar,
                    "published")  # fmt: skip
            elif draw < 0.82:  # went out one to four days late
                add(day - pd.Timedelta(days=int(rng.integers(1, 5))), ch.platform, p.type, pillar,
                    "published")  # fmt: skip
        months = pd.period_range(first, pd.Period(END, "M"), freq="M")
        for month in months:
            for status, share in (("scheduled", 0.12), ("cancelled", 0.05)):
                for _ in range(int(rng.binomial(max(int(ch.posts_per_month), 1), share))):
                    day = month.start_time + pd.Timedelta(
                        days=int(rng.integers(0, month.days_in_month))
                    )
                    add(day, ch.platform, list(ch.types)[0], _pillar_of(kind, int(rng.integers(0, 6))), status)  # fmt: skip
        nxt = pd.Period(END, "M") + 1  # next month, partly planned already
        for _ in range(int(ch.posts_per_month * 0.3)):
            day = nxt.start_time + pd.Timedelta(days=int(rng.integers(0, nxt.days_in_month)))
            add(day, ch.platform, list(ch.types)[0], _pillar_of(kind, int(rng.integers(0, 6))),
                str(rng.choice(["idea", "planned", "scheduled"])))  # fmt: skip
    if spec["kind"] == "b2c":
        _line_plan(add, kind)
    return _csv(rows)


def _line_plan(add, kind: str) -> None:
    """The LINE broadcasts in the plan: every Thursday from the first pulled month to next
    month, but the broadcast of the block spike, which went out unplanned."""
    for day in pd.date_range((pd.Period(LINE_PULLS[0], "M") - 1).start_time, "2026-11-30"):
        if day.day_of_week == 3 and f"{day:%Y-%m-%d}" != LINE_SPIKE:
            status = "published" if day <= pd.Timestamp(END) else "scheduled"
            add(day, "line", "image", _pillar_of(kind, day.day % 6), status)


_URLS = {
    "facebook": "https://www.facebook.com/{handle}/posts/{n}",
    "instagram": "https://www.instagram.com/p/{handle}{n}/",
    "linkedin": "https://www.linkedin.com/feed/update/urn:li:activity:{n}/",
    "x": "https://x.com/{handle}/status/{n}",
}


def _competitors(rng, spec, days) -> tuple[bytes, bytes]:
    """Each competitor's monthly snapshot (followers at the month's end, the month's posts
    and public engagements) for every month, and the posts a person recorded on the first of
    each month for the last six: counts read then, so the month's last posts are young; one
    competitor hides Instagram likes on some posts."""
    month_ends = days[days.is_month_end]
    recorded_from = month_ends[-6] - pd.offsets.MonthBegin(1)
    snaps = [["competitor", "platform", "date", "followers", "posts", "engagements"]]
    public = [
        ["competitor", "platform", "post_url", "published_at", "content_type"]
        + ["reactions", "comments", "shares", "views", "captured_at"]
    ]
    for c, (cid, (_, size, per_month, rate, alias)) in enumerate(spec["competitors"].items()):
        for ch in spec["channels"][:2]:
            followers = ch.followers * size
            for end in month_ends:
                start = end - pd.offsets.MonthBegin(1)
                followers += ch.gains_per_day * size * end.day * rng.uniform(0.6, 1.4)
                count = int(rng.poisson(per_month * ch.posts_per_month / 12))
                captured = end + pd.Timedelta(days=1, hours=10)
                total = 0
                for _ in range(count):
                    at = start + pd.Timedelta(minutes=int(rng.integers(7 * 60, 23 * 60)))
                    at += pd.Timedelta(days=int(rng.integers(0, end.day)))
                    kind = list(ch.types)[int(rng.integers(0, len(ch.types)))]
                    boost = 6.0 if rng.random() < 0.04 else 1.0  # now and then a post takes off
                    grown = 1 - np.exp(-(captured - at) / pd.Timedelta(days=2))
                    full = followers * rate * _TYPE[kind][0] * boost * rng.lognormal(0, 0.6)
                    seen = full * grown
                    parts = [int(seen * 0.85), int(seen * 0.09), int(seen * 0.06)]
                    total += sum(parts)
                    if start < recorded_from:
                        continue
                    hidden = ch.platform == "instagram" and c == 1 and rng.random() < 0.3
                    video = kind in ("video", "reel")
                    public.append(
                        [
                            alias or _name_in_file(spec, cid),
                            ch.platform,
                            _URLS[ch.platform].format(handle=cid, n=len(public) + 10**9),
                            f"{at:%Y-%m-%d %H:%M}",
                            kind,
                            "" if hidden else parts[0],
                            parts[1],
                            parts[2] if ch.platform != "instagram" else "",
                            int(seen * 12) if video else "",
                            f"{captured:%Y-%m-%d %H:%M}",
                        ]
                    )
                snaps.append(
                    [alias or cid, ch.platform, f"{end:%Y-%m-%d}", int(followers), count, total]
                )
    return _csv(snaps), _csv(public)


def _name_in_file(spec, cid: str) -> str:
    """How a person writes the competitor's name in the sample's posts file (the zh-TW name)."""
    return spec["competitors"][cid][0]["zh-TW"]


# Threads: what three monthly pulls (on the 1st, 10:00 Taipei) wrote to the landing folder
THREADS_PULLS = ("2026-09-01", "2026-10-01", "2026-11-01")
_THREADS = {
    "lumi_tea": (5200, 14, "17841400000000101"),
    "northwind_cloud": (1900, 8, "17841400000000202"),
}


def _threads(rng, brand: str, spec: dict) -> dict[str, bytes]:
    """Threads for both brands (followers, posts a month, user id): each monthly pull's
    responses as the Threads API writes them (connectors.threads), in landing envelopes."""
    from socialkpi.connectors.landing import envelope
    from socialkpi.connectors.landing import files as landing_files
    from socialkpi.connectors.threads import POST_FIELDS, POST_METRICS

    followers, per_month, user = _THREADS[brand]
    kind = spec["kind"]
    files: dict[str, bytes] = {}
    seq = 0
    for pulled_day in THREADS_PULLS:
        pulled = pd.Timestamp(f"{pulled_day} 02:00", tz="UTC").to_pydatetime()
        first = (pd.Timestamp(pulled_day) - pd.offsets.MonthBegin(1)).date()
        last = (pd.Timestamp(pulled_day) - pd.Timedelta(days=1)).date()
        days = pd.date_range(first, last, freq="D")
        posts, insights = [], []
        for _ in range(int(rng.poisson(per_month))):
            seq += 1
            day = days[int(rng.integers(0, len(days)))]
            when = day + pd.Timedelta(
                hours=int(rng.integers(1, 14)), minutes=int(rng.integers(0, 60))
            )
            media = f"{user[-6:]}{seq:05d}"
            topic = int(rng.integers(0, 6))
            media_type = ["TEXT_POST", "IMAGE", "VIDEO", "CAROUSEL_ALBUM"][int(rng.integers(0, 4))]
            posts.append(
                {
                    "id": media,
                    "media_product_type": "THREADS",
                    "media_type": media_type,
                    "text": _caption(kind, topic, seq, True),
                    "timestamp": f"{when:%Y-%m-%dT%H:%M:%S}+0000",
                    "permalink": f"https://www.threads.net/@{brand.replace('_', '')}/post/{media}",
                    "shortcode": media,
                    "is_quote_post": False,
                }
            )
            views = int(followers * rng.lognormal(-0.6, 0.7))
            values = {
                "views": views,
                "likes": int(rng.binomial(views, 0.03)),
                "replies": int(rng.binomial(views, 0.004)),
                "reposts": int(rng.binomial(views, 0.002)),
                "quotes": int(rng.binomial(views, 0.0008)),
                "shares": int(rng.binomial(views, 0.003)),
            }
            insights.append((media, values))
        window = {
            "since": int(pd.Timestamp(first, tz="UTC").timestamp()),
            "until": int(pulled.timestamp()),
        }
        listed = {"fields": POST_FIELDS, "limit": 100, **window}
        out = [
            envelope(
                "threads",
                "posts",
                user,
                "me/threads",
                listed,
                pulled,
                {"data": posts, "paging": {"cursors": {"before": "0"}}},
            )
        ]
        for media, values in insights:
            data = [
                {
                    "name": k,
                    "period": "lifetime",
                    "values": [{"value": v}],
                    "title": k.title(),
                    "description": "",
                    "id": f"{media}/insights/{k}/lifetime",
                }
                for k, v in values.items()
            ]
            out.append(
                envelope(
                    "threads",
                    "post_insights",
                    user,
                    f"{media}/insights",
                    {"metric": POST_METRICS},
                    pulled,
                    {"data": data},
                )
            )
        daily = [
            {
                "value": int(rng.poisson(followers * 0.01)),
                "end_time": f"{d + pd.Timedelta(days=1):%Y-%m-%d}T08:00:00+0000",
            }
            for d in days
        ]
        out.append(
            envelope(
                "threads",
                "profile_views",
                user,
                "me/threads_insights",
                {"metric": "views", **window},
                pulled,
                {
                    "data": [
                        {
                            "name": "views",
                            "period": "day",
                            "values": daily,
                            "title": "views",
                            "description": "",
                            "id": f"{user}/insights/views/day",
                        }
                    ]
                },
            )
        )
        followers += int(rng.integers(60, 240))
        out.append(
            envelope(
                "threads",
                "followers",
                user,
                "me/threads_insights",
                {"metric": "followers_count"},
                pulled,
                {
                    "data": [
                        {
                            "name": "followers_count",
                            "period": "day",
                            "total_value": {"value": followers},
                            "title": "followers_count",
                            "description": "",
                            "id": f"{user}/insights/followers_count/day",
                        }
                    ]
                },
            )
        )
        for breakdown, segments in (
            ("age", ["18-24", "25-34", "35-44", "45-54"]),
            ("gender", ["F", "M"]),
            ("country", ["TW", "HK", "MY"]),
        ):
            shares = rng.dirichlet(np.ones(len(segments)) * 3)
            results = [
                {"dimension_values": [k], "value": int(round(v * followers))}
                for k, v in zip(segments, shares, strict=True)
            ]
            out.append(
                envelope(
                    "threads",
                    "demographics",
                    user,
                    "me/threads_insights",
                    {"metric": "follower_demographics", "breakdown": breakdown},
                    pulled,
                    {
                        "data": [
                            {
                                "name": "follower_demographics",
                                "period": "day",
                                "title": "follower_demographics",
                                "description": "",
                                "id": f"{user}/insights/follower_demographics/day",
                                "total_value": {
                                    "breakdowns": [
                                        {"dimension_keys": [breakdown], "results": results}
                                    ]
                                },
                            }
                        ]
                    },
                )
            )
        for name, data in landing_files(out).items():
            files[f"{brand}/threads/{pulled_day}/{name}"] = data
    return files


# LINE: Lumi Tea's Official Account, pulled on the 2nd of each month (10:00 Taipei) for the
# month before; the weekly broadcast goes out on Thursdays at 12:00 Taipei through the API
# (its request id kept), a targeted message on each month's first Tuesday from LINE Official
# Account Manager, and one broadcast (three offers in one message, Oct 15) makes many friends
# block the account
LINE_PULLS = ("2026-09-02", "2026-10-02", "2026-11-02")
LINE_SPIKE = "2026-10-15"
_LINE_TITLES = ("本週新品", "會員限定優惠", "茶葉小知識", "門市活動預告", "秋季特調上市")


def _line(rng, brand: str) -> dict[str, bytes]:
    """Lumi Tea's LINE Official Account: each monthly pull's responses as the Messaging API
    writes them (connectors.line), in landing envelopes."""
    if brand != "lumi_tea":
        return {}
    from socialkpi.connectors.landing import envelope
    from socialkpi.connectors.landing import files as landing_files

    account = "@lumitea"
    followers, blocks = 3_050, 120
    files: dict[str, bytes] = {}
    for n_pull, pulled_day in enumerate(LINE_PULLS):
        pulled = pd.Timestamp(f"{pulled_day} 02:00", tz="UTC").to_pydatetime()
        month = pd.Period(pulled_day, "M") - 1
        first, last = month.start_time.date(), month.end_time.date()
        out, sent = [], []

        def call(kind, path, params, response, context=None, out=out, pulled=pulled):
            out.append(envelope("line", kind, account, path, params, pulled, response, context))

        for day in pd.date_range(first, last, freq="D"):
            adds = int(rng.poisson(16 if day.day_of_week >= 5 else 11))
            thursday = day.day_of_week == 3
            spike = thursday and f"{day:%Y-%m-%d}" == LINE_SPIKE
            new_blocks = int(rng.poisson(2)) + (int(rng.poisson(9)) if thursday else 0)
            new_blocks += int(rng.poisson(150)) if spike else 0
            followers += adds
            blocks += new_blocks - int(rng.poisson(0.5))
            reach = followers - blocks
            date_param = {"date": f"{day:%Y%m%d}"}
            call(
                "friends",
                "v2/bot/insight/followers",
                date_param,
                {
                    "status": "ready",
                    "followers": followers,
                    "targetedReaches": int(reach * 0.81),
                    "blocks": blocks,
                },
            )
            counts = {
                "autoResponse": int(rng.poisson(18)),
                "welcomeResponse": adds,
                "chat": int(rng.poisson(5)),
                "apiReply": int(rng.poisson(12)),
            }
            if thursday:
                counts["apiBroadcast"] = reach
                sent.append((day, reach, spike))
            if day.day_of_week == 1 and day.day <= 7:
                counts["targeting"] = int(reach * 0.81 * 0.35)
            delivery = {"status": "ready", **{k: v for k, v in counts.items() if v}}
            call("deliveries", "v2/bot/insight/message/delivery", date_param, delivery)
        call(
            "demographics",
            "v2/bot/insight/demographic",
            {},
            {
                "available": True,
                "genders": [
                    {"gender": "female", "percentage": 61.4 + n_pull},
                    {"gender": "male", "percentage": 31.2 - n_pull},
                    {"gender": "unknown", "percentage": 7.4},
                ],
                "ages": [
                    {"age": a, "percentage": p}
                    for a, p in [
                        ("from15to19", 4.1),
                        ("from20to24", 14.8),
                        ("from25to29", 21.6),
                        ("from30to34", 18.3),
                        ("from35to39", 12.2),
                        ("from40to44", 8.1),
                        ("from45to49", 5.0),
                        ("from50", 6.4),
                        ("from50to54", 3.2),
                        ("from55to59", 1.9),
                        ("from60to64", 0.8),
                        ("from65to69", 0.3),
                        ("from70", 0.2),
                        ("unknown", 9.5),
                    ]
                ],
                "areas": [
                    {"area": a, "percentage": p}
                    for a, p in [
                        ("台北市", 27.5),
                        ("新北市", 22.1),
                        ("桃園市", 9.4),
                        ("台中市", 8.8),
                        ("高雄市", 6.3),
                        ("新竹市", 3.9),
                        ("unknown", 22.0),
                    ]
                ],
                "appTypes": [
                    {"appType": "ios", "percentage": 58.2},
                    {"appType": "android", "percentage": 40.9},
                    {"appType": "others", "percentage": 0.9},
                ],
                "subscriptionPeriods": [
                    {"subscriptionPeriod": p, "percentage": v}
                    for p, v in [
                        ("within7days", 2.4),
                        ("within30days", 7.9),
                        ("within90days", 16.5),
                        ("within180days", 18.2),
                        ("within365days", 22.0),
                        ("over365days", 33.0),
                    ]
                ],
            },
        )
        # LINE's own count of the pull month's messages: the month has barely begun
        call("quota_usage", "v2/bot/message/quota/consumption", {}, {"totalUsage": 0})
        call(
            "units",
            "v2/bot/message/aggregation/list",
            {"limit": 100},
            {"customAggregationUnits": []},
        )
        for k, (day, delivered, spike) in enumerate(sent):
            request_id = "-".join(f"{int(rng.integers(0, 16**w)):0{w}x}" for w in (8, 4, 4, 4, 12))
            stamp = int(pd.Timestamp(f"{day:%Y-%m-%d} 04:00", tz="UTC").timestamp())
            opened = int(rng.binomial(delivered, 0.41 if spike else 0.56))
            clicked = int(rng.binomial(opened, 0.09 if spike else 0.17))
            video = k % 4 == 2
            played = int(rng.binomial(opened, 0.35)) if video else None
            completed = int(rng.binomial(played, 0.42)) if video else None
            autumn = int(clicked * 0.7)
            title = "雙 11 搶先購：三重優惠一次看" if spike else _LINE_TITLES[(n_pull * 5 + k) % 5]
            call(
                "message_stats",
                "v2/bot/insight/message/event",
                {"requestId": request_id},
                {
                    "overview": {
                        "requestId": request_id,
                        "timestamp": stamp,
                        "delivered": delivered,
                        "uniqueImpression": opened,
                        "uniqueClick": clicked,
                        "uniqueMediaPlayed": played,
                        "uniqueMediaPlayed100Percent": completed,
                    },
                    "messages": [{"seq": 1, "impression": int(opened * 1.3)}],
                    "clicks": [
                        {
                            "seq": 1,
                            "url": "https://lumitea.example/shop",
                            "click": int(autumn * 1.2),
                            "uniqueClick": autumn,
                            "uniqueClickOfRequest": autumn,
                        },
                        {
                            "seq": 1,
                            "url": "https://lumitea.example/stores",
                            "click": int((clicked - autumn) * 1.1),
                            "uniqueClick": (clicked - autumn) if clicked - autumn >= 20 else None,
                            "uniqueClickOfRequest": None,
                        },
                    ],
                },
                {"title": title},
            )
        for name, data in landing_files(out).items():
            files[f"{brand}/line/{pulled_day}/{name}"] = data
    return files


BOOSTED_FROM = "2026-08"  # Facebook exports from this month say which posts were boosted
MONEY_MONTHS = ("2026-08", "2026-09", "2026-10")
# ad sets per brand: channel, campaign, ad set, daily spend (TWD), results per 1,000 TWD,
# result indicator, conversion value per result (0: none reported)
_AD_SETS = {
    "lumi_tea": [
        (
            "meta_ads",
            "秋季新品上市",
            "茶飲愛好者 25-34",
            1150,
            9.0,
            "actions:offsite_conversion.fb_pixel_purchase",
            420,
        ),
        (
            "meta_ads",
            "秋季新品上市",
            "上班族午茶",
            520,
            6.0,
            "actions:offsite_conversion.fb_pixel_purchase",
            380,
        ),
        ("meta_ads", "門市活動導流", "信義區 3 公里", 180, 30.0, "actions:link_click", 0),
    ],
    "northwind_cloud": [
        ("meta_ads", "Zero Trust webinar", "IT managers TW", 420, 1.4, "actions:leadgen.other", 0),
        ("google_ads", "Cloud backup - Search", "", 900, 1.1, "conversions", 0),
        ("google_ads", "Brand - Search", "", 260, 3.2, "conversions", 0),
    ],
}
# the October overspend the sample's budget shows: Meta ads run hot from the 10th
_HOT = {"lumi_tea": ("meta_ads", "2026-10-10", 1.35)}
_META_EN = [
    "Reporting starts",
    "Reporting ends",
    "Campaign name",
    "Ad set name",
    "Ad set delivery",
    "Attribution setting",
    "Results",
    "Result indicator",
    "Reach",
    "Frequency",
    "Impressions",
    "Amount spent (TWD)",
    "Link clicks",
    "Purchases",
    "Purchases conversion value",
    "Purchase ROAS (return on ad spend)",
    "Ends",
]
_META_ZH = [
    "分析報告開始",
    "分析報告結束",
    "行銷活動名稱",
    "廣告組合名稱",
    "廣告組合投遞",
    "歸因設定",
    "成果",
    "成果指標",
    "觸及人數",
    "頻率",
    "曝光次數",
    "花費金額 (TWD)",
    "連結點擊次數",
    "購買次數",
    "購買轉換值",
    "購買 ROAS（廣告投資報酬率）",
    "結束時間",
]


def _money(rng, brand: str, spec: dict) -> dict[str, bytes]:
    """Ad exports (Meta for both brands, in the brand's UI language; Google Ads for the B2B
    brand), and a cost ledger, for the last three months."""
    files: dict[str, bytes] = {}
    zh = spec["kind"] == "b2c"
    for month in MONEY_MONTHS:
        days = pd.date_range(f"{month}-01", pd.Period(month).end_time.normalize(), freq="D")
        meta, google = [], []
        for channel, campaign, ad_set, daily, per_k, kind, value in _AD_SETS[brand]:
            for day in days:
                hot = _HOT.get(brand)
                boost = hot[2] if hot and hot[0] == channel and day >= pd.Timestamp(hot[1]) else 1.0
                spend = round(daily * boost * float(rng.uniform(0.8, 1.2)))
                results = int(rng.poisson(spend * per_k / 1000))
                impressions = int(spend * float(rng.uniform(9, 14)))
                clicks = int(impressions * float(rng.uniform(0.008, 0.016)))
                if channel == "meta_ads":
                    buys = results if "purchase" in kind else None
                    worth = buys * value if buys is not None else None
                    meta.append(
                        [
                            f"{day:%Y-%m-%d}",
                            f"{day:%Y-%m-%d}",
                            campaign,
                            ad_set,
                            "active",
                            "點擊後 7 天、瀏覽後 1 天或互動觀看後 1 天"
                            if zh
                            else "7-day click, 1-day view, or 1-day engaged-view",
                            results or "",
                            kind if results else "",
                            int(impressions / 1.3),
                            1.3,
                            impressions,
                            spend,
                            clicks,
                            "" if buys is None else buys,
                            "" if worth is None else worth,
                            "" if not worth else round(worth / spend, 2),
                            "進行中" if zh else "Ongoing",
                        ]
                    )
                else:
                    google.append(
                        [
                            f"{day:%Y-%m-%d}",
                            "Enabled",
                            campaign,
                            "Search",
                            f"{impressions:,}",
                            clicks,
                            "TWD",
                            f"{spend:.2f}",
                            f"{results:.2f}",
                        ]
                    )
        total = sum(r[11] for r in meta)
        if meta:  # Ads Manager puts the account's total first, names empty, over the range
            first, last = f"{days[0]:%Y-%m-%d}", f"{days[-1]:%Y-%m-%d}"
            head = [
                first,
                last,
                "",
                "",
                "0",
                meta[0][5],
                "",
                "",
                "",
                "",
                sum(r[10] for r in meta),
                total,
                "",
                "",
                "",
                "",
                "",
            ]
            rows = [_META_ZH if zh else _META_EN, head, *meta]
            start, end = days[0], days[-1]
            account = 102796323413794 if zh else 231840667512908  # the ad account id
            name = f"{account}-Ad-sets-{start:%b}-{start.day}-{start:%Y}-{end:%b}-{end.day}-{end:%Y}.csv"
            files[f"{brand}/ads/{name}"] = _csv(rows)
        if google:
            rows = [
                ["Campaign report"],
                [
                    f"{days[0]:%B} {days[0].day}, {days[0]:%Y} - {days[-1]:%B} {days[-1].day}, {days[-1]:%Y}"
                ],
                [
                    "Day",
                    "Campaign status",
                    "Campaign",
                    "Campaign type",
                    "Impr.",
                    "Clicks",
                    "Currency code",
                    "Cost",
                    "Conversions",
                ],
                *google,
            ]
            cost = sum(float(r[7]) for r in google)
            rows.append(["", "Total: Campaigns", " --", " --", "", "", "TWD", f"{cost:.2f}", ""])
            rows.append(["", "Total: Account", "", "", "", "", "TWD", f"{cost + 1250:.2f}", ""])
            files[f"{brand}/ads/Campaign report {month}.csv"] = _csv(rows)
    files[f"{brand}/costs.csv"] = _csv(_ledger(brand, zh))
    return files


def _ledger(brand: str, zh: bool) -> list[list]:
    """The brand's cost ledger: production, KOL fees, staff time (hours x rate), tools."""
    head = (
        ["月份", "平台", "類別", "金額", "幣別", "時數", "時薪", "備註"]
        if zh
        else ["month", "platform", "category", "amount", "currency", "hours", "rate", "note"]
    )
    rows = [head]
    for month in MONEY_MONTHS:
        if zh:
            rows += [
                [month, "", "內容製作", 18000, "TWD", "", "", "短影音拍攝與剪輯"],
                [
                    month,
                    "instagram",
                    "網紅",
                    25000 if month == "2026-10" else 12000,
                    "TWD",
                    "",
                    "",
                    "美食 KOL 合作貼文",
                ],
                [month, "", "人事", "", "TWD", 60, 450, "社群小編工時"],
                [month, "", "工具", 1490, "TWD", "", "", "排程工具月費"],
            ]
        else:
            rows += [
                [
                    month,
                    "linkedin",
                    "content_production",
                    26000,
                    "TWD",
                    "",
                    "",
                    "Customer case video",
                ],
                [month, "", "staff", "", "TWD", 48, 650, "Community manager hours"],
                [month, "", "tools", 49, "USD", "", "", "Social listening tool (billed in USD)"],
            ]
            if month == "2026-09":
                rows.append([month, "", "events", 30000, "TWD", "", "", "Webinar venue"])
    return rows


_WRITERS = {
    "facebook": _facebook,
    "instagram": _instagram,
    "youtube": _youtube,
    "tiktok": _tiktok,
    "linkedin": _linkedin,
    "x": _x,
}
