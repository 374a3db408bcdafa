"""A brand's pages published into the month's folder: the job every builder gets (:class:`Job`),
the staging folder a brand renders into, the atomic publish that replaces only the pages that
ran (keeping the others), and each brand's page status, from which the index is rebuilt. The
local builder (``bundle``) and the Dask one (``cluster``) both publish through here."""

from __future__ import annotations

import json
import logging
import os
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from socialkpi.files import inside, write_atomically
from socialkpi.outputs.runner import NOTEBOOKS, BrandResult, summary

log = logging.getLogger("socialkpi.report")

STATUS = "status.json"  # per brand folder: each page's outcome, so the index can be rebuilt


def staging(month_dir: Path, brand: str) -> Path:
    """A fresh hidden folder beside the brand's published one to build its pages in, after
    removing any a killed run left behind."""
    for stale in [*month_dir.glob(f".{brand}.tmp-*"), *month_dir.glob(f".{brand}.old-*")]:
        shutil.rmtree(stale, ignore_errors=True)
    tmp = inside(month_dir, f".{brand}.tmp-{os.getpid()}")
    tmp.mkdir(parents=True)
    return tmp


def publish_brand(
    tmp: Path,
    month_dir: Path,
    brand: str,
    notebooks: list[str],
    result: BrandResult,
    lang: str,
    chromium: str | None = None,
) -> list[str]:
    """Put the pages built in ``tmp`` in place of the brand's published folder in one rename,
    keeping the pages of notebooks this run did not rebuild, and (with ``chromium``) print all
    of them into the brand's one PDF (``printout``). Returns the files this run made."""
    from socialkpi.outputs import pdf as printout

    final = inside(month_dir, brand)
    rebuilt = [NOTEBOOKS[k] for k in notebooks]
    made = sorted(p.name for p in tmp.iterdir() if p.stem in rebuilt)
    _keep_other_pages(final, tmp, rebuilt, result, lang)
    if chromium:
        try:
            made.append(printout.print_brand(tmp, brand, month_dir.name, chromium).name)
        except Exception as err:
            result.failed["pdf"] = f"PDF failed: {summary(err)}"
            log.error("brand=%s pdf failed: %s", brand, result.failed["pdf"])
    # without --pdf an earlier run's PDF is not carried over: it would show the old pages
    old = month_dir / f".{brand}.old-{os.getpid()}"
    if final.exists():
        final.rename(old)
    tmp.rename(final)
    shutil.rmtree(old, ignore_errors=True)
    log.info(
        "brand=%s ok=%d failed=%d seconds=%.1f worker=%s retries=%d",
        brand,
        len(result.ok),
        len(result.failed),
        result.seconds,
        result.worker,
        result.retries,
    )
    return made


def _keep_other_pages(
    final: Path, tmp: Path, rebuilt: list[str], result: BrandResult, lang: str
) -> None:
    """Carry the pages of notebooks this run did not rebuild from the published folder into
    the new one, and write the merged status file."""
    status = read_status(final)
    generated = datetime.now(UTC).isoformat(timespec="seconds")
    for name in rebuilt:
        status[name] = {
            "ok": name not in result.failed,
            "error": result.failed.get(name, ""),
            "lang": lang,
            "generated": generated,
        }
    for name in list(status):
        if name in rebuilt:
            continue
        kept = [p for p in final.glob(f"{name}.*") if p.suffix in (".ipynb", ".html")]
        if not kept:
            del status[name]  # its pages were removed by hand
        for page in kept:
            shutil.copy2(page, tmp / page.name)
    write_atomically(tmp / STATUS, json.dumps(status, ensure_ascii=False, indent=1))


def read_status(folder: Path) -> dict[str, dict]:
    """The per-notebook outcome recorded in a brand's folder (empty if there is none). A folder
    from before status files existed counts each page present as ok."""
    path = folder / STATUS
    if path.exists():
        try:
            return json.loads(path.read_text("utf-8"))
        except ValueError:
            pass
    return {
        p.stem: {"ok": True, "error": ""}
        for p in sorted(folder.glob("*.html"))
        if p.stem in NOTEBOOKS.values()  # not the brand's own index
    }


def published(month_dir: Path) -> dict[str, dict[str, dict]]:
    """Every brand bundle published in a month's folder: brand -> notebook -> outcome (a
    folder without pages, such as the delivery's ``outbox``, is none)."""
    if not month_dir.is_dir():
        return {}
    found = {
        d.name: read_status(d)
        for d in sorted(month_dir.iterdir())
        if d.is_dir() and not d.name.startswith(".")
    }
    return {brand: status for brand, status in found.items() if status}


@dataclass(frozen=True)
class Job:
    """What every brand of a run is built with."""

    month: str
    lang: str
    notebooks: list[str]  # keys of NOTEBOOKS
    out: Path
    db: Path
    timeout: int
    goals_dir: Path
    chromium: str | None
    actions: Path | None = None  # the folder of action logs (None: the kernels' default)

    @property
    def kernel_env(self) -> dict[str, str]:
        """What the brand's kernels are told beyond the environment they inherit."""
        return {"SOCIALKPI_ACTIONS": str(self.actions)} if self.actions else {}

    @property
    def month_dir(self) -> Path:
        return inside(self.out, self.month)
