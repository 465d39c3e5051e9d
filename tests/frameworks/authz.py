from tests.authz import INSPECTORATE_STAFF, Case, members

EXPECTATIONS = {
    "frameworks:list": Case(INSPECTORATE_STAFF),
    "frameworks:detail": Case(INSPECTORATE_STAFF, kwargs=lambda w: {"slug": w.framework.slug}),
    "frameworks:qi-add": Case(members("admin"), kwargs=lambda w: {"slug": w.framework.slug}),
    "frameworks:qi-edit": Case(
        members("admin"),
        kwargs=lambda w: {
            "slug": w.framework.slug,
            "pk": w.framework.current_version.qis.first().pk,
        },
    ),
}
