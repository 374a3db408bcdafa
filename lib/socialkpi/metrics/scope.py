"""What a number covers, and the check that one KPI never shows two values.

A figure a page shows for a KPI carries its :class:`Scope`: the platforms whose data make it,
the period, and which posts (``all`` of them, or only those that report a component, such as
``with_reach``). Sections record the figures they show in the page's :class:`Ledger`; the page
writes the ledger, hidden, into its HTML; :func:`read` takes it back out of a page and
:func:`conflicts` lists every KPI, scope, period and measure shown with two values across a
whole bundle.

Which platforms a KPI's total covers is the data's answer, not the page's: a platform whose
export does not report a KPI's components adds nothing to the total (``metrics.add_totals``),
so ``kpi.kpi_report`` reads it from the per-platform values (its ``platforms`` column). A total
that covers fewer of the page's platforms (:func:`partial`) is named with them wherever it is
shown.
"""

from __future__ import annotations

import html
import json
import math
from collections import defaultdict
from dataclasses import asdict, dataclass
from html.parser import HTMLParser

MEASURES = ("value", "change", "relative_change")
# sources whose platforms report a KPI or do not (GA4 sessions by social source, comments
# per platform are counted, never "not reported": a platform without rows had none)
REPORTED_BY_PLATFORM = ("posts", "account_daily", "posts, account_daily")


@dataclass(frozen=True, order=True)
class Scope:
    """What a figure covers: ``platforms`` (sorted ids), ``period`` (``2026-10``) and ``posts``
    (``all``, or ``with_<component>``: only posts that report it)."""

    platforms: tuple[str, ...]
    period: str
    posts: str = "all"

    @classmethod
    def of(cls, platforms, period: str, posts: str = "all") -> Scope:
        """A scope from any iterable of platform ids (sorted, repeats dropped)."""
        return cls(tuple(sorted(set(platforms))), str(period), posts)


@dataclass(frozen=True)
class Figure:
    """One number a page shows: a KPI's ``value``, its ``change`` from the period before or its
    ``relative_change``, for a :class:`Scope`; ``where`` names the section (for the report of
    a conflict)."""

    kpi: str
    scope: Scope
    measure: str
    value: float
    where: str = ""


class Ledger(list):
    """The figures one page shows, in the order recorded."""

    def add(
        self,
        kpi: str,
        platforms,
        period: str,
        value: object,
        measure: str = "value",
        posts: str = "all",
        where: str = "",
    ) -> None:
        """Record one figure (a missing value is not a figure: nothing is recorded)."""
        if measure not in MEASURES:
            raise ValueError(f"measure {measure!r} is not one of {MEASURES}")
        try:
            number = float(value)
        except (TypeError, ValueError):
            return
        if math.isnan(number):
            return
        self.append(Figure(kpi, Scope.of(platforms, period, posts), measure, number, where))

    def html(self, brand: str = "") -> str:
        """The ledger as a hidden element a page carries (read back by :func:`read`);
        ``brand`` tells a page of several brands (the index) whose figures these are."""
        data = json.dumps([_plain(f) for f in self], ensure_ascii=False, separators=(",", ":"))
        return (
            f'<div class="skpi-figures" hidden data-brand="{html.escape(brand, quote=True)}" '
            f'data-figures="{html.escape(data, quote=True)}"></div>'
        )


def _plain(f: Figure) -> dict:
    out = asdict(f)
    out["scope"]["platforms"] = list(f.scope.platforms)
    return out


class _Ledgers(HTMLParser):
    """The ledgers of a page, however its HTML was re-serialised (nbconvert rewrites quotes
    and drops bare attributes): ``(brand, figures as JSON)`` per ``skpi-figures`` element."""

    def __init__(self):
        super().__init__()
        self.found: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "skpi-figures" in (a.get("class") or "").split() and a.get("data-figures"):
            self.found.append((a.get("data-brand") or "", a["data-figures"]))


def read(page_html: str, source: str = "", brand: str | None = None) -> list[Figure]:
    """Every figure recorded in a page's HTML (``source`` is added to each ``where``); with
    ``brand``, only the figures recorded for that brand."""
    parser = _Ledgers()
    parser.feed(page_html)
    out = []
    for owner, data in parser.found:
        if brand is not None and owner != brand:
            continue
        for item in json.loads(data):
            scope = Scope(
                tuple(item["scope"]["platforms"]), item["scope"]["period"], item["scope"]["posts"]
            )
            where = " · ".join(w for w in (source, item.get("where", "")) if w)
            out.append(Figure(item["kpi"], scope, item["measure"], float(item["value"]), where))
    return out


def conflicts(figures: list[Figure], rel: float = 1e-6) -> list[dict]:
    """The KPIs shown with two values for one scope and measure: ``kpi, scope, measure`` and
    ``values`` (each value with where it was shown). Values closer than ``rel`` (relative) are
    the same number.

    >>> a = Figure("reach", Scope.of(["facebook"], "2026-10"), "value", 100.0, "scorecard")
    >>> b = Figure("reach", Scope.of(["facebook"], "2026-10"), "value", 100.0, "summary")
    >>> c = Figure("reach", Scope.of(["facebook"], "2026-10"), "value", 90.0, "index")
    >>> conflicts([a, b]), len(conflicts([a, b, c]))
    ([], 1)
    """
    groups: dict[tuple, list[Figure]] = defaultdict(list)
    for f in figures:
        groups[(f.kpi, f.scope, f.measure)].append(f)
    out = []
    for (kpi, scope, measure), found in groups.items():
        first = found[0].value
        if any(not math.isclose(f.value, first, rel_tol=rel, abs_tol=1e-12) for f in found):
            out.append(
                {
                    "kpi": kpi,
                    "scope": scope,
                    "measure": measure,
                    "values": [(f.value, f.where) for f in found],
                }
            )
    return out


def check_month(month_dir) -> dict[str, list[dict]]:
    """The :func:`conflicts` of every brand published in a bundle's month folder, over all
    its pages and its card on the index: brand -> conflicts (brands without any left out)."""
    from pathlib import Path

    month_dir = Path(month_dir)
    index = month_dir / "index.html"
    cards = index.read_text("utf-8") if index.exists() else ""
    out = {}
    for folder in sorted(
        p for p in month_dir.iterdir() if p.is_dir() and not p.name.startswith(".")
    ):
        figures = read(cards, "index", folder.name)
        for page in sorted(folder.glob("*.html")):
            figures += read(page.read_text("utf-8"), page.stem)
        found = conflicts(figures)
        if found:
            out[folder.name] = found
    return out


def partial(kpi_source: str, platforms: tuple[str, ...], scope: tuple[str, ...]) -> bool:
    """Whether a total over ``platforms`` must be named with them on a page about ``scope``:
    its KPI is one platforms report (or not), and it covers some of the page's platforms but
    not all."""
    return kpi_source in REPORTED_BY_PLATFORM and bool(platforms) and set(platforms) < set(scope)
