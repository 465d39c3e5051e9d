from tests.authz import PUBLIC, SIGNED_IN, Case, members

EXPECTATIONS = {
    # Signed-in people are sent on from the sign-in page.
    "accounts:sign-in": Case(PUBLIC, ok=302, anonymous=200),
    "accounts:sign-out": Case(PUBLIC, method="post", ok=302),
    "accounts:profile": Case(SIGNED_IN),
    "accounts:password-change": Case(SIGNED_IN),
    "accounts:password-reset": Case(PUBLIC),
    "accounts:password-reset-sent": Case(PUBLIC),
    "accounts:password-reset-confirm": Case(
        PUBLIC, kwargs=lambda w: {"uidb64": "MQ", "token": "not-a-token"}
    ),
    "accounts:password-reset-complete": Case(PUBLIC),
    "accounts:two-factor": Case(SIGNED_IN),
    "accounts:audit": Case(members("admin")),
    "accounts:access-log": Case(members("admin")),
}

EXPECTATIONS.update(
    {
        "accounts:people": Case(members("admin")),
        "accounts:person-add": Case(members("admin")),
        "accounts:person-edit": Case(members("admin"), kwargs=lambda w: {"pk": w.cast.viewer_a.pk}),
    }
)
