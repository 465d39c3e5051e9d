from django.urls import path

from scrutiny.publishing import views

app_name = "publishing"

urlpatterns = [
    path("", views.partnerships, name="partnerships"),
    path("inspections/<int:pk>/", views.report_latest, name="report"),
    path("inspections/<int:pk>/report.pdf", views.report_pdf, name="report-pdf"),
    path(
        "inspections/<int:pk>/versions/<int:number>/", views.report_version, name="report-version"
    ),
    path(
        "inspections/<int:pk>/versions/<int:number>/report.pdf",
        views.report_version_pdf,
        name="report-version-pdf",
    ),
    path("inspections/<int:pk>/correct/", views.correct, name="correct"),
    path("drafts/<int:pk>/", views.draft, name="draft"),
    path("drafts/<int:pk>/draft.pdf", views.draft_pdf, name="draft-pdf"),
    path("drafts/<int:pk>/publish/", views.publish, name="publish"),
    path("<slug:slug>/", views.partnership, name="partnership"),
]
