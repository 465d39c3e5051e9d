from tests.authz import Case, members

A_VIEWERS = members("lead_a", "viewer_a", "inspector_a", "link_a", "admin", "qa")
A_EDITORS = members("lead_a", "admin")
BLIND_CODER = members("lead_a")


def _p(w):
    return {"pk": w.q_project.pk}


def _with(name, attr):
    return lambda w: {"pk": w.q_project.pk, name: getattr(w, attr).pk}


def _source(w):
    return {"pk": w.q_project.pk, "source_pk": w.q_source.pk}


def _check(w):
    return {"pk": w.q_project.pk, "check_pk": w.q_check.pk}


def _post(allowed, kwargs, data=None, ok=302, **extra):
    return Case(allowed, kwargs=kwargs, method="post", data=data, ok=ok, **extra)


EXPECTATIONS = {
    "qualitative:project-create": Case(A_EDITORS, kwargs=lambda w: {"slug": "south-ayrshire"}),
    "qualitative:project-import": Case(A_EDITORS, kwargs=lambda w: {"slug": "south-ayrshire"}),
    "qualitative:inspection-project-create": Case(
        members("inspector_a", "admin"), kwargs=lambda w: {"pk": w.inspection_a.pk}
    ),
    "qualitative:project": Case(A_VIEWERS, kwargs=_p),
    "qualitative:project-edit": Case(A_EDITORS, kwargs=_p),
    "qualitative:project-export": Case(A_VIEWERS, kwargs=_p),
    "qualitative:sources": Case(A_VIEWERS, kwargs=_p),
    "qualitative:source-add": Case(A_EDITORS, kwargs=_p),
    "qualitative:comments-import": Case(A_EDITORS, kwargs=_p),
    # The upload belongs to the person who made it: anyone else is told it is not there.
    "qualitative:comments-map": Case(
        A_EDITORS, kwargs=_with("import_pk", "q_pending"), overrides={"admin": 404}
    ),
    "qualitative:survey-import": Case(A_EDITORS, kwargs=_p),
    "qualitative:source": Case(A_VIEWERS, kwargs=_source),
    "qualitative:source-edit": Case(A_EDITORS, kwargs=_source),
    "qualitative:source-delete": _post(A_EDITORS, _source),
    "qualitative:code-comments": _post(
        A_EDITORS,
        _source,
        data=lambda w: {"code": w.q_code.pk, "segment": [w.q_segment_other.pk]},
    ),
    "qualitative:code-span": Case(A_EDITORS, kwargs=_source, query="?segment=0"),
    "qualitative:coding": Case(A_VIEWERS, kwargs=_with("coding_pk", "q_coding")),
    "qualitative:coding-delete": _post(A_EDITORS, _with("coding_pk", "q_coding")),
    "qualitative:codebook": Case(A_VIEWERS, kwargs=_p),
    "qualitative:code-add": Case(A_EDITORS, kwargs=_p),
    "qualitative:codebook-export": Case(A_VIEWERS, kwargs=_p),
    "qualitative:codebook-import": Case(A_EDITORS, kwargs=_p),
    "qualitative:code-edit": Case(A_VIEWERS, kwargs=_with("code_pk", "q_code")),
    "qualitative:code-merge": Case(A_EDITORS, kwargs=_with("code_pk", "q_code")),
    "qualitative:code-delete": _post(A_EDITORS, _with("code_pk", "q_code_unused")),
    "qualitative:checks": Case(A_VIEWERS, kwargs=_p),
    "qualitative:check-create": Case(A_EDITORS, kwargs=_p),
    "qualitative:check": Case(A_VIEWERS, kwargs=_check),
    "qualitative:check-code": Case(BLIND_CODER, kwargs=_check),
    "qualitative:check-finish": _post(BLIND_CODER, _check),
    # A blind coder who has not finished is sent back to the check, not shown the answers.
    "qualitative:check-disagreements": Case(A_VIEWERS, kwargs=_check, overrides={"lead_a": 302}),
    "qualitative:check-reconcile": _post(
        A_EDITORS,
        _check,
        data=lambda w: {"code": w.q_code.pk, "segment": w.q_segment.pk, "action": "apply"},
    ),
    "qualitative:check-close": _post(A_EDITORS, _check),
    "qualitative:search": Case(A_VIEWERS, kwargs=_p, query="?q=help"),
    "qualitative:analysis": Case(A_VIEWERS, kwargs=_p),
    "qualitative:cooccurrence": Case(A_VIEWERS, kwargs=_p),
    "qualitative:crosstab": Case(A_VIEWERS, kwargs=_p),
    "qualitative:crosstab-export": Case(A_VIEWERS, kwargs=_p),
    "qualitative:assist": Case(A_VIEWERS, kwargs=_p),
    "qualitative:assist-train": _post(A_EDITORS, _p, data=lambda w: {"method": "tfidf"}),
    "qualitative:suggestions-decide": _post(
        A_EDITORS, _p, data=lambda w: {"action": f"accept:{w.q_suggestion.pk}"}
    ),
    "qualitative:theme-name": _post(
        A_EDITORS, _with("theme_pk", "q_theme"), data=lambda w: {"name": "Getting help"}
    ),
    "qualitative:quotes": Case(A_VIEWERS, kwargs=_p),
    "qualitative:quote-add": _post(A_EDITORS, _with("coding_pk", "q_coding")),
    "qualitative:quote": Case(A_VIEWERS, kwargs=_with("quote_pk", "q_quote")),
    "qualitative:quote-delete": _post(A_EDITORS, _with("quote_pk", "q_quote")),
}
