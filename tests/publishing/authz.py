from tests.authz import PUBLIC, Case, members

DRAFT_READERS = members("inspector_a", "link_a", "admin", "qa")


def _published(w):
    return {"pk": w.published_a.pk}


def _version(w):
    return {"pk": w.published_a.pk, "number": 1}


EXPECTATIONS = {
    "publishing:partnerships": Case(PUBLIC),
    "publishing:partnership": Case(PUBLIC, kwargs=lambda w: {"slug": "south-ayrshire"}),
    "publishing:report": Case(PUBLIC, kwargs=_published),
    "publishing:report-pdf": Case(PUBLIC, kwargs=_published),
    "publishing:report-version": Case(PUBLIC, kwargs=_version),
    "publishing:report-version-pdf": Case(PUBLIC, kwargs=_version),
    "publishing:young-people": Case(PUBLIC, kwargs=_published),
    "publishing:young-people-pdf": Case(PUBLIC, kwargs=_published),
    "publishing:correct": Case(members("admin"), kwargs=_published),
    "publishing:draft": Case(DRAFT_READERS, kwargs=lambda w: {"pk": w.inspection_a.pk}),
    "publishing:draft-pdf": Case(DRAFT_READERS, kwargs=lambda w: {"pk": w.inspection_a.pk}),
    "publishing:draft-young-people": Case(
        DRAFT_READERS, kwargs=lambda w: {"pk": w.inspection_a.pk}
    ),
    "publishing:draft-young-people-pdf": Case(
        DRAFT_READERS, kwargs=lambda w: {"pk": w.inspection_a.pk}
    ),
    "publishing:publish": Case(
        members("admin"), kwargs=lambda w: {"pk": w.inspection_a.pk}, method="post", ok=302
    ),
}
