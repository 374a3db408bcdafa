"""User-facing words in Traditional Chinese (Taiwan usage, see shared/GLOSSARY.md) and English."""

from __future__ import annotations

TEXT = {
    "en": {
        "goal_setting": "Goal setting", "audience": "Audience analysis", "kpi_review": "KPI review",
        "retrospective": "Retrospective", "crisis": "Crisis early warning", "content": "Content performance",
        "no_data": "No data for {what} in {period}: this section is skipped.",
        "no_goals": "No goals file for {brand} ({path}): add one to track targets.",
        "up": "up", "down": "down", "flat": "unchanged", "previous_month": "previous month",
        "same_month_last_year": "same month last year", "target": "target", "baseline": "baseline",
        "gap": "gap", "progress": "progress", "owner": "owner", "due": "due date", "status": "status",
        "definition": "Definition", "platform": "platform", "all_platforms": "all platforms",
        "posts": "posts", "median": "median", "followers": "followers", "value": "value",
        "kpi_sentence": "{name} was {value} in {period}, {direction} {change} from {previous} the {prev_label} ({assessment}).",
        "kpi_sentence_new": "{name} was {value} in {period} (no comparable value the {prev_label}).",
        "goal_sentence": "Goal “{goal}”: {name} at {latest} against a target of {target}, {status}.",
        "spike_sentence": "{count} crisis episode(s) this month; the largest began {start} with {volume} comments, {negative} negative.",
        "no_spike": "No crisis signal this month: comment volume and negative share stayed within normal variation.",
        "driver_sentence": "{name} changed by {total}: post volume {volume}, content mix {mix}, reach per post {reach}, rate {rate}.",
        "worked": "What worked", "did_not_work": "What did not work",
        "evidence": "{kind} “{label}”: median {value} over {n} posts",
        "persona": "{platform}: mostly {gender}, aged {age}, in {place}; most active around {hour}:00.",
        "actions_carried": "Action items carried over from last month", "actions_new": "Proposed action items",
        "post": "post", "open_post": "open",
    },
    "zh-TW": {
        "goal_setting": "目標設定", "audience": "受眾分析", "kpi_review": "KPI 檢視",
        "retrospective": "成效檢討", "crisis": "危機預警", "content": "內容成效",
        "no_data": "{period} 沒有{what}的資料，本節略過。",
        "no_goals": "{brand} 沒有目標檔（{path}），新增後即可追蹤目標值。",
        "up": "上升", "down": "下降", "flat": "持平", "previous_month": "上月",
        "same_month_last_year": "去年同月", "target": "目標值", "baseline": "基準值",
        "gap": "差距", "progress": "達成進度", "owner": "負責人", "due": "截止日期", "status": "狀態",
        "definition": "定義", "platform": "平台", "all_platforms": "全部平台",
        "posts": "貼文", "median": "中位數", "post": "貼文連結", "open_post": "開啟", "followers": "粉絲數", "value": "數值",
        "kpi_sentence": "{period} {name}為 {value}，較{prev_label}（{previous}）{direction} {change}（{assessment}）。",
        "kpi_sentence_new": "{period} {name}為 {value}（{prev_label}無可比較的數值）。",
        "goal_sentence": "目標「{goal}」：{name}目前為 {latest}，目標值 {target}，{status}。",
        "spike_sentence": "本月共有 {count} 次危機事件；最大的一次始於 {start}，留言 {volume} 則，負面比例 {negative}。",
        "no_spike": "本月無危機訊號：留言量與負面比例都在正常波動範圍內。",
        "driver_sentence": "{name}變化 {total}：發文量 {volume}、內容組合 {mix}、每篇觸及 {reach}、比率 {rate}。",
        "worked": "做得好的", "did_not_work": "待改進的",
        "evidence": "{kind}「{label}」：{n} 篇貼文的中位數為 {value}",
        "persona": "{platform}：以{gender}為主，年齡 {age}，多在{place}；最活躍時段約 {hour} 點。",
        "actions_carried": "上月延續的改進行動", "actions_new": "建議的改進行動",
    },
}  # fmt: skip

WORDS = {
    "zh-TW": {"female": "女性", "male": "男性", "on-track": "進度正常", "at-risk": "有風險",
              "off-track": "落後", "no-data": "無資料", "content_type": "內容類型", "topic": "主題",
              "weekday": "星期", "hour": "時段"},
    "en": {"on-track": "on track", "at-risk": "at risk", "off-track": "off track", "no-data": "no data",
           "content_type": "content type", "topic": "topic", "weekday": "weekday", "hour": "hour"},
}  # fmt: skip


def t(key: str, lang: str = "en", **values) -> str:
    """The text for ``key`` in ``lang`` with ``values`` filled in."""
    return TEXT[lang][key].format(**values)


def word(key: str, lang: str = "en") -> str:
    return WORDS.get(lang, {}).get(key, key)
