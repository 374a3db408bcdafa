"""Header names matched by name, in any case, width or spacing, wherever the header row sits."""

from socialkpi.ingest._headers import load_format, match_header, normalize

FORMAT = load_format(
    "demo",
    """
title: Demo export
platform: facebook
table: posts
columns:
  post_id: {names: [Post ID, 貼文編號], required: true}
  reach: {names: [Reach, 觸及人數], type: count, required: true}
  comments: {names: [Comments, 留言]}
""",
)


def test_normalize_folds_case_width_and_spaces():
    assert normalize('  "ＲＥＡＣＨ   Total" ') == "reach total"
    assert normalize("觸及人數") == "觸及人數"


def test_the_best_row_within_the_search_window_is_the_header():
    rows = [["Demo export, October"], [], ["貼文編號", "觸及人數", "other"], ["1", "5", "x"]]
    match = match_header(rows, FORMAT)
    assert (match.header_row, match.fields, match.missing) == (2, {"post_id": 0, "reach": 1}, [])
    assert match.score == (1.0, 2)


def test_missing_required_fields_are_named_and_lower_the_score():
    match = match_header([["post id", "Comments"]], FORMAT)
    assert match.missing == ["reach"] and match.score == (0.5, 2)
    assert FORMAT.label("reach") == "Reach"  # what a message shows


def test_the_first_column_with_a_name_wins_a_duplicate():
    match = match_header([["Reach", "Post ID", "觸及人數"]], FORMAT)
    assert match.fields == {"reach": 0, "post_id": 1}
