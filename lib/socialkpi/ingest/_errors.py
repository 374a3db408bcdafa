"""The one error type importers raise: it names the file, where, what, and the fix."""

from __future__ import annotations

MAX_SHOWN = 5


class ExportError(ValueError):
    """A file socialkpi cannot import as it is.

    ``problems`` are short "where: what" lines (``row 7, column "Reach": expected ...``);
    ``fix`` says what the user can do about it.
    """

    def __init__(self, path: str, problems: list[str] | str, fix: str = ""):
        self.path = path
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        self.fix = fix
        super().__init__(self.message())

    def message(self) -> str:
        """The error as the user reads it: file, where, what, and the fix."""
        shown = self.problems[:MAX_SHOWN]
        if len(shown) == 1:
            text = f"{self.path}: {shown[0]}"
        else:
            text = f"{self.path}: {len(self.problems)} problems\n" + "\n".join(
                f"  {p}" for p in shown
            )
            if len(self.problems) > MAX_SHOWN:
                text += f"\n  ... and {len(self.problems) - MAX_SHOWN} more"
        return f"{text}\n  Fix: {self.fix}" if self.fix else text


def cell(row: int | None, column: str | None) -> str:
    """``row 7, column "Reach"`` (either part may be missing), the column as the user sees it
    (no soft hyphens or zero-width characters in the name)."""
    from socialkpi.ingest._values import visible

    parts = []
    if row is not None:
        parts.append(f"row {row}")
    if column:
        parts.append(f'column "{visible(column).strip()}"')
    return ", ".join(parts)


def shown(value: object, limit: int = 40) -> str:
    """A cell value quoted for a message as the user sees it, cut to ``limit`` characters."""
    from socialkpi.ingest._values import visible

    text = visible(value)
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")
