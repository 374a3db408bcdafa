"""What every page and dashboard view knows: the store, the brand (its id, the name readers
see, its currency and time zone), the month, the language, the platforms shown and the goals.

Sections (``steps.<step>.page``) take a :class:`Page` and return what the page shows.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from socialkpi import presentation, reads, store
from socialkpi.metrics.goals import GoalsFile
from socialkpi.metrics.periods import DEFAULT_TIMEZONE, parse_period
from socialkpi.metrics.scope import Ledger
from socialkpi.presentation.look import Look, look_for
from socialkpi.words.i18n import t


@dataclass(frozen=True)
class Page:
    """What every page and dashboard view knows: store, brand, month, language, platforms, goals."""

    con: object
    brand: str
    month: str
    lang: str = "zh-TW"
    platforms: list[str] | None = None
    goals: GoalsFile | None = None
    goals_path: Path | None = None
    name: str = ""
    currency: str | None = None
    timezone: str = DEFAULT_TIMEZONE
    interactive: bool = False
    notes: list[str] = field(default_factory=list)
    look: Look = Look()  # the brand's colours, font, logo and sender (socialkpi's by default)
    figures: Ledger = field(default_factory=Ledger)  # every KPI figure shown, with its scope

    def t(self, key: str, **values) -> str:
        """A catalogue text in the page's language."""
        return t(key, self.lang, **values)

    def number(self, value: object, unit: str = "count", signed: bool = False) -> str:
        """A value formatted for the page's language (and the brand's currency)."""
        return presentation.number(value, unit, self.lang, self.currency, signed)

    def table(self, frame: pd.DataFrame, cols, **options):
        """A display table in the page's language."""
        return presentation.table(frame, cols, self.lang, currency=self.currency, **options)

    def empty(self, what: str, how: str = ""):
        """One sentence for an empty section: what is missing and how to get it (keys)."""
        return presentation.empty(what, how, self.lang)

    def scope_note(self, platforms, kpi_id: str) -> str:
        """ "Facebook only" / 「僅 Facebook」 when a KPI's total covers fewer platforms than the
        page (``scope.partial``), else ""."""
        from socialkpi import metrics
        from socialkpi.metrics import scope

        covered = tuple(platforms or ())
        if not scope.partial(metrics.dictionary()[kpi_id].source, covered, self.scope_platforms):
            return ""
        names = self.t("word.and").join(
            presentation.text(p, "platform", self.lang) for p in covered
        )
        return self.t("word.only", platforms=names)

    @functools.cached_property
    def scope_platforms(self) -> tuple[str, ...]:
        """The platforms the page is about: those asked for, else every platform the brand
        has posts or account data on in the month."""
        if self.platforms:
            return tuple(sorted(self.platforms))
        p = parse_period(self.month)
        return tuple(sorted(store.platforms_with_data(self.con, self.brand, p.start, p.end)))

    @functools.cached_property
    def account_level(self) -> tuple[str, ...]:
        """The page's platforms reviewed from daily account series, having no post-level
        export (``kpi.account_level``: the same rule)."""
        from socialkpi.store import totals

        with_posts = totals.post_platforms(self.con, self.brand)
        p = parse_period(self.month)
        sums = totals.account_totals(self.con, self.brand, p.start, p.end, self.scope_platforms)
        if sums.empty:
            return ()
        return tuple(sorted(sums.loc[totals.by_account(sums, with_posts), "platform"]))

    def account_note(self) -> str:
        """The sentence that says which platforms' figures are account totals, or ""."""
        if not self.account_level:
            return ""
        names = self.t("word.and").join(
            presentation.text(p, "platform", self.lang) for p in self.account_level
        )
        return self.t("report.account_level", platforms=names)

    def redefinition_notes(self) -> list[str]:
        """A sentence per documented definition change inside the page's comparisons
        (``metrics.changes_near``)."""
        from socialkpi import metrics
        from socialkpi.words import narrative

        near = metrics.changes_near(self.scope_platforms, parse_period(self.month))
        return [narrative.redefinition(c, self.lang) for c in near]

    def heading(self, key: str, level: int = 2):
        """A section heading from the catalogue (``level`` 3 for a part of a section)."""
        return presentation.heading(f"section.{key}", self.lang, level)


def open_page(
    con,
    brand: str,
    month: str,
    lang: str = "zh-TW",
    platforms=None,
    goals_path: Path | None = None,
    interactive: bool = False,
    notes: list[str] | None = None,
) -> Page:
    """A page for ``brand`` and ``month``, with the brand's settings, look and goals read; its
    charts take the brand's colour."""
    from socialkpi.presentation import charts

    settings = store.brand_settings(con, brand)
    look = look_for(con, brand)
    charts.use_accent(look.accent)
    return Page(
        con,
        brand,
        month,
        lang,
        list(platforms or []) or None,
        reads.load_goals_or_none(goals_path) if goals_path else None,
        goals_path,
        store.brand_name(con, brand, lang),
        settings["currency"],
        settings["timezone"] or DEFAULT_TIMEZONE,
        interactive,
        list(notes or []),
        look=look,
    )
