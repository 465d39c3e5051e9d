from django.urls import include, path

urlpatterns = [
    path("", include("scrutiny.frontend.urls")),
    path("account/", include("scrutiny.accounts.urls")),
    path("inspections/", include("scrutiny.inspections.urls")),
    path("frameworks/", include("scrutiny.frameworks.urls")),
    path("fieldwork/", include("scrutiny.fieldwork.urls")),
    path("improvement/", include("scrutiny.improvement.urls")),
    path("indicators/", include("scrutiny.indicators.urls")),
    path("qualitative/", include("scrutiny.qualitative.urls")),
    path("reports/", include("scrutiny.publishing.urls")),
]

handler400 = "scrutiny.frontend.views.bad_request"
handler403 = "scrutiny.frontend.views.permission_denied"
handler404 = "scrutiny.frontend.views.page_not_found"
handler500 = "scrutiny.frontend.views.server_error"
