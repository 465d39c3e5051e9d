"""Assisted coding: the suggestion model, its evaluation, and grouping of uncoded comments."""

from __future__ import annotations

import csv
import importlib.util
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scrutiny.analysis import themes
from scrutiny.analysis.themes import Suggestion, ThemeError, ThemeModel

FFT_FILE = (
    Path(__file__).resolve().parents[2].parent / "shared" / "data" / "fft-labelled-comments.csv"
)

VOCABULARY = {
    "Food": ["dinner", "lunch", "breakfast", "meals", "food", "snacks"],
    "Transport": ["bus", "taxi", "train", "lift", "driver", "journey"],
    "Staff": ["social worker", "key worker", "carer", "staff", "teacher", "nurse"],
}
FRAMES = [
    "the {} was good",
    "I did not like the {}",
    "the {} was late again",
    "more {} please",
    "why is the {} always like this",
]


def corpus(vocabulary: dict[str, list[str]] = VOCABULARY) -> tuple[list[str], list[str]]:
    """Comments whose code is obvious from one word, in frames that every code shares."""
    texts, codes = [], []
    for code, words in vocabulary.items():
        for i, word in enumerate(words):
            for frame in FRAMES[i % 2 :: 2] + FRAMES[:1]:
                texts.append(frame.format(word))
                codes.append(code)
    return texts, codes


@pytest.fixture(scope="module")
def model() -> ThemeModel:
    texts, codes = corpus()
    return themes.train(texts, codes, seed=0)


def test_it_suggests_the_obvious_code_first(model: ThemeModel) -> None:
    suggestions = model.suggest(["the taxi never came", "cold lunch", "my carer listens"])
    assert [s[0].code for s in suggestions] == ["Transport", "Food", "Staff"]


def test_it_learns_the_codes_it_was_given(model: ThemeModel) -> None:
    assert model.codes == ("Food", "Staff", "Transport")
    assert model.method == "tfidf"


@settings(max_examples=60, deadline=None)
@given(text=st.text(max_size=200), top_k=st.integers(min_value=1, max_value=5))
def test_suggestions_are_sorted_by_confidence_and_within_0_and_1(
    model: ThemeModel, text: str, top_k: int
) -> None:
    (suggestions,) = model.suggest([text], top_k=top_k)
    if not text.strip():
        assert suggestions == []
        return
    assert len(suggestions) == min(top_k, 3)
    confidences = [s.confidence for s in suggestions]
    assert confidences == sorted(confidences, reverse=True)
    assert all(0.0 <= c <= 1.0 for c in confidences)
    assert len({s.code for s in suggestions}) == len(suggestions)


def test_confidences_over_every_code_add_up_to_one(model: ThemeModel) -> None:
    (suggestions,) = model.suggest(["the bus driver was kind"], top_k=10)
    assert {s.code for s in suggestions} == set(model.codes)
    assert sum(s.confidence for s in suggestions) == pytest.approx(1.0)


def test_the_obvious_code_gets_most_of_the_confidence(model: ThemeModel) -> None:
    (suggestions,) = model.suggest(["breakfast"])
    assert suggestions[0] == Suggestion("Food", suggestions[0].confidence)
    assert suggestions[0].confidence > 0.5


def test_a_blank_comment_gets_no_suggestions(model: ThemeModel) -> None:
    assert model.suggest(["", "   ", "the train"])[:2] == [[], []]


def test_suggesting_for_no_comments_gives_no_lists(model: ThemeModel) -> None:
    assert model.suggest([]) == []


def test_it_refuses_a_top_k_below_one(model: ThemeModel) -> None:
    with pytest.raises(ThemeError, match="top_k must be at least 1"):
        model.suggest(["lunch"], top_k=0)


def test_a_round_trip_through_bytes_gives_identical_suggestions(model: ThemeModel) -> None:
    texts = ["the taxi never came", "cold lunch", "my carer listens", "nothing to add"]
    restored = ThemeModel.from_bytes(model.to_bytes())
    assert restored.suggest(texts, top_k=3) == model.suggest(texts, top_k=3)
    assert restored.codes == model.codes


def test_from_bytes_refuses_bytes_that_are_not_a_model() -> None:
    with pytest.raises(ThemeError, match=themes.NOT_A_MODEL):
        ThemeModel.from_bytes(b"not a model at all")


def test_from_bytes_refuses_a_damaged_model(model: ThemeModel) -> None:
    data = model.to_bytes()
    with pytest.raises(ThemeError, match=themes.NOT_A_MODEL):
        ThemeModel.from_bytes(data[: len(data) // 2])


def test_the_same_seed_gives_the_same_suggestions() -> None:
    texts, codes = corpus()
    probe = ["the lift was late", "snacks", "my teacher", "I did not like it"]
    first = themes.train(texts, codes, seed=7).suggest(probe, top_k=3)
    second = themes.train(texts, codes, seed=7).suggest(probe, top_k=3)
    assert first == second


def test_a_code_with_a_single_example_can_be_suggested() -> None:
    texts, codes = corpus()
    texts.append("a ghost haunts the attic")
    codes.append("Ghosts")
    trained = themes.train(texts, codes)
    assert "Ghosts" in trained.codes
    (suggestions,) = trained.suggest(["ghost in the attic"], top_k=1)
    assert suggestions[0].code == "Ghosts"


def test_two_codes_are_enough() -> None:
    texts, codes = corpus({k: VOCABULARY[k] for k in ("Food", "Transport")})
    (suggestions,) = themes.train(texts, codes).suggest(["a bus journey"], top_k=5)
    assert [s.code for s in suggestions] == ["Transport", "Food"]
    assert sum(s.confidence for s in suggestions) == pytest.approx(1.0)


def test_blank_training_comments_are_left_out() -> None:
    texts, codes = corpus()
    with_blanks = themes.train([*texts, "", "  "], [*codes, "Food", "Other"])
    assert with_blanks.codes == ("Food", "Staff", "Transport")


def test_it_refuses_fewer_than_two_codes() -> None:
    with pytest.raises(ThemeError, match="at least 2 different codes"):
        themes.train(["lunch", "dinner"], ["Food", "Food"])


def test_codes_left_with_only_blank_comments_do_not_count() -> None:
    with pytest.raises(ThemeError, match="at least 2 different codes to learn from; found 1"):
        themes.train(["lunch", ""], ["Food", "Transport"])


def test_it_refuses_nothing_to_learn_from() -> None:
    with pytest.raises(ThemeError, match="found 0"):
        themes.train([], [])


def test_it_refuses_texts_and_codes_of_different_lengths() -> None:
    with pytest.raises(ThemeError, match="Got 3 comments but 2 codes"):
        themes.train(["lunch", "bus", "taxi"], ["Food", "Transport"])


def test_it_refuses_a_blank_code() -> None:
    with pytest.raises(ThemeError, match="Comment 1 has a blank code"):
        themes.train(["lunch", "bus"], ["Food", " "])


def test_it_refuses_an_unknown_method() -> None:
    texts, codes = corpus()
    with pytest.raises(ThemeError, match="Unknown method 'bert'"):
        themes.train(texts, codes, method="bert")


@pytest.mark.skipif(
    importlib.util.find_spec("sentence_transformers") is not None,
    reason="sentence-transformers is installed here",
)
def test_embeddings_without_the_extra_say_to_install_it() -> None:
    texts, codes = corpus()
    themes._sentence_model.cache_clear()
    with pytest.raises(ThemeError, match="install the embeddings extra"):
        themes.train(texts, codes, method="embeddings")


def test_cross_validation_predicts_every_comment_once() -> None:
    texts, codes = corpus()
    evaluation = themes.cross_validate(texts, codes, folds=3)
    assert evaluation.n_train == evaluation.n_test == len(texts)
    assert sum(scores.support for scores in evaluation.per_code.values()) == len(texts)
    assert evaluation.balanced_accuracy > 0.8


def test_cross_validation_is_reproducible_by_seed() -> None:
    texts, codes = corpus()
    assert themes.cross_validate(texts, codes, folds=3, seed=4) == themes.cross_validate(
        texts, codes, folds=3, seed=4
    )


def test_cross_validation_refuses_more_folds_than_the_smallest_code_has() -> None:
    texts, codes = corpus()
    texts.append("a ghost haunts the attic")
    codes.append("Ghosts")
    with pytest.raises(ThemeError, match="'Ghosts' has only 1"):
        themes.cross_validate(texts, codes, folds=2)


def test_cross_validation_refuses_fewer_than_two_folds() -> None:
    texts, codes = corpus()
    with pytest.raises(ThemeError, match="at least 2 folds"):
        themes.cross_validate(texts, codes, folds=1)


def test_evaluation_on_a_separate_test_set_scores_each_code() -> None:
    texts, codes = corpus()
    test_texts = ["a late train", "cold breakfast", "my nurse", "a bus"]
    test_codes = ["Transport", "Food", "Staff", "Food"]
    evaluation = themes.evaluate(texts, codes, test_texts, test_codes)
    assert (evaluation.n_train, evaluation.n_test) == (len(texts), 4)
    assert evaluation.accuracy == pytest.approx(0.75)
    assert evaluation.per_code["Food"].recall == pytest.approx(0.5)
    assert evaluation.per_code["Transport"].precision == pytest.approx(0.5)
    assert evaluation.balanced_accuracy == pytest.approx((0.5 + 1 + 1) / 3)


def test_evaluation_refuses_an_empty_test_set() -> None:
    texts, codes = corpus()
    with pytest.raises(ThemeError, match="no coded comments to test on"):
        themes.evaluate(texts, codes, [], [])


UNCODED = [
    *(f"the {w} was cold and late" for w in ("dinner", "lunch", "breakfast", "tea")),
    *(f"waiting for the {w} at the station" for w in ("bus", "train", "taxi", "coach")),
    *(f"my {w} listens and helps me" for w in ("carer", "social worker", "teacher", "nurse")),
]


def test_grouping_returns_the_requested_number_of_groups_with_distinct_terms() -> None:
    groups = themes.group_uncoded(UNCODED, n_groups=3, seed=0)
    assert len(groups) == 3
    assert all(group.top_terms for group in groups)
    assert len({group.top_terms for group in groups}) == 3
    assert all(
        not set(a.top_terms[:2]) & set(b.top_terms[:2])
        for a in groups
        for b in groups
        if a is not b
    )


def test_grouping_puts_comments_on_one_subject_together() -> None:
    groups = themes.group_uncoded(UNCODED, n_groups=3, seed=0)
    assert sorted(group.member_indices for group in groups) == [
        (0, 1, 2, 3),
        (4, 5, 6, 7),
        (8, 9, 10, 11),
    ]
    transport = next(g for g in groups if g.member_indices == (4, 5, 6, 7))
    assert {"waiting", "station"} <= set(transport.top_terms)


def test_grouping_leaves_blank_comments_out() -> None:
    groups = themes.group_uncoded(["", *UNCODED, "  "], n_groups=3, seed=0)
    members = sorted(i for group in groups for i in group.member_indices)
    assert members == list(range(1, len(UNCODED) + 1))


def test_grouping_is_reproducible_by_seed() -> None:
    assert themes.group_uncoded(UNCODED, n_groups=4, seed=3) == themes.group_uncoded(
        UNCODED, n_groups=4, seed=3
    )


def test_grouping_refuses_more_groups_than_comments() -> None:
    with pytest.raises(ThemeError, match="Cannot make 3 groups from 2"):
        themes.group_uncoded(["the bus", "The bus", "lunch", ""], n_groups=3, seed=0)


def test_grouping_refuses_fewer_than_one_group() -> None:
    with pytest.raises(ThemeError, match="n_groups must be at least 1"):
        themes.group_uncoded(UNCODED, n_groups=0, seed=0)


@pytest.mark.shared_data
def test_cross_validated_balanced_accuracy_on_fft_comments_beats_the_target() -> None:
    """
    Given 10,334 NHS Friends and Family Test comments coded by people into 9 themes
    When the default model is cross-validated over 5 stratified folds
    Then its balanced accuracy is at least 0.62 (pxtextmining's published model: about 0.56)
    """
    if not FFT_FILE.exists():
        pytest.skip(f"{FFT_FILE} is absent (shared data set not laid beside the repository)")
    with FFT_FILE.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    evaluation = themes.cross_validate(
        [row["feedback"] for row in rows], [row["label"] for row in rows], folds=5, seed=0
    )
    assert evaluation.n_test == 10_334
    assert evaluation.balanced_accuracy >= 0.62
