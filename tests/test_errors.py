"""The one error importers raise reads: file, where, what, and the fix."""

from socialkpi.ingest._errors import MAX_SHOWN, ExportError, cell, shown


def test_one_problem_on_one_line_with_the_fix():
    err = ExportError("posts.csv", cell(7, "Reach") + ": expected a number", "re-export")
    assert str(err) == 'posts.csv: row 7, column "Reach": expected a number\n  Fix: re-export'


def test_many_problems_are_counted_and_cut():
    err = ExportError("a.csv", [f"row {i}: bad" for i in range(MAX_SHOWN + 2)])
    lines = str(err).splitlines()
    assert lines[0] == f"a.csv: {MAX_SHOWN + 2} problems"
    assert len(lines) == 1 + MAX_SHOWN + 1 and lines[-1] == "  ... and 2 more"


def test_cells_and_values_as_shown():
    assert cell(None, "Date") == 'column "Date"' and cell(3, None) == "row 3"
    assert shown("x" * 50, limit=5) == "'xxxx…'"
