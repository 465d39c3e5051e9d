from tests.authz import INSPECTORATE_STAFF, SIGNED_IN, Case, members

A_FIELDWORK = members("lead_a", "viewer_a", "inspector_a", "link_a", "admin", "qa")
A_TEAM = members("inspector_a", "admin")
A_CHILD_LEVEL = members("inspector_a", "admin", "lead_a")  # lead_a: a partnership editor
A_READER = members("inspector_a", "admin", "lead_a")  # lead_a: the pair's local reader
A_WORK = members("inspector_a", "link_a", "admin", "qa")


def _a(w):
    return {"pk": w.inspection_a.pk}


def _record(w):
    return {"pk": w.inspection_a.pk, "record_pk": w.fieldwork_record.pk}


def _survey(w):
    return {"survey_pk": w.fieldwork_survey.pk}


EXPECTATIONS = {
    "fieldwork:overview": Case(A_FIELDWORK, kwargs=_a),
    "fieldwork:return": Case(A_CHILD_LEVEL, kwargs=_a),
    "fieldwork:return-children": Case(A_CHILD_LEVEL, kwargs=_a),
    "fieldwork:return-template": Case(SIGNED_IN, kwargs=lambda w: {"fmt": "xlsx"}),
    "fieldwork:sample": Case(A_CHILD_LEVEL, kwargs=_a),
    "fieldwork:sample-draw": Case(A_TEAM, kwargs=_a),
    "fieldwork:sample-export": Case(A_CHILD_LEVEL, kwargs=_a),
    "fieldwork:reading": Case(A_TEAM, kwargs=_a),
    "fieldwork:pair-add": Case(A_TEAM, kwargs=_a),
    "fieldwork:pair-remove": Case(
        A_TEAM,
        kwargs=lambda w: {"pk": w.inspection_a.pk, "pair_pk": w.fieldwork_pair.pk},
        method="post",
        ok=302,
    ),
    "fieldwork:assign": Case(A_TEAM, kwargs=_a, method="post", ok=302),
    "fieldwork:moderation": Case(A_TEAM, kwargs=_a, method="post", ok=302),
    "fieldwork:reading-record": Case(A_READER, kwargs=_record),
    "fieldwork:reading-moderate": Case(A_READER, kwargs=_record),
    "fieldwork:record-assign": Case(A_TEAM, kwargs=_record, method="post", ok=302),
    "fieldwork:results": Case(A_WORK, kwargs=_a),
    "fieldwork:results-csv": Case(A_WORK, kwargs=_a),
    "fieldwork:evidence": Case(A_TEAM, kwargs=_a, method="post", ok=302),
    "fieldwork:templates": Case(INSPECTORATE_STAFF),
    "fieldwork:template": Case(
        INSPECTORATE_STAFF, kwargs=lambda w: {"template_pk": w.fieldwork_template.pk}
    ),
    "fieldwork:template-download": Case(
        INSPECTORATE_STAFF, kwargs=lambda w: {"template_pk": w.fieldwork_template.pk}
    ),
    "fieldwork:template-load": Case(members("admin")),
    "fieldwork:instrument": Case(
        INSPECTORATE_STAFF, kwargs=lambda w: {"instrument_pk": w.fieldwork_instrument.pk}
    ),
    "fieldwork:surveys": Case(A_WORK, kwargs=_a),
    "fieldwork:survey-add": Case(A_TEAM, kwargs=_a),
    "fieldwork:survey": Case(A_WORK, kwargs=_survey),
    "fieldwork:survey-csv": Case(A_WORK, kwargs=_survey),
    "fieldwork:survey-edit": Case(A_TEAM, kwargs=_survey),
    # The world's survey has responses: deleting it is refused with a message, back to it.
    "fieldwork:survey-delete": Case(A_TEAM, kwargs=_survey, method="post", ok=302),
    "fieldwork:survey-evidence": Case(A_TEAM, kwargs=_survey, method="post", ok=302),
    "fieldwork:survey-free-text": Case(A_TEAM, kwargs=_survey),
    "fieldwork:survey-upload": Case(A_TEAM, kwargs=_survey),
    "fieldwork:survey-map": Case(
        A_TEAM,
        kwargs=lambda w: {"survey_pk": w.fieldwork_survey.pk, "pending_pk": w.fieldwork_pending.pk},
    ),
    "fieldwork:survey-upload-cancel": Case(
        A_TEAM,
        kwargs=lambda w: {"survey_pk": w.fieldwork_survey.pk, "pending_pk": w.fieldwork_pending.pk},
        method="post",
        ok=302,
    ),
    "fieldwork:survey-import-delete": Case(
        A_TEAM,
        kwargs=lambda w: {
            "survey_pk": w.fieldwork_survey.pk,
            "import_pk": w.fieldwork_survey_import.pk,
        },
        method="post",
        ok=302,
    ),
}
