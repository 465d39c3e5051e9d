from django.urls import path

from scrutiny.publishing import progress_review_views, views

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
    path("inspections/<int:pk>/young-people/", views.young_people, name="young-people"),
    path("inspections/<int:pk>/young-people.pdf", views.young_people_pdf, name="young-people-pdf"),
    path("inspections/<int:pk>/correct/", views.correct, name="correct"),
    path("drafts/<int:pk>/", views.draft, name="draft"),
    path("drafts/<int:pk>/draft.pdf", views.draft_pdf, name="draft-pdf"),
    path("drafts/<int:pk>/young-people/", views.draft_young_people, name="draft-young-people"),
    path(
        "drafts/<int:pk>/young-people.pdf",
        views.draft_young_people_pdf,
        name="draft-young-people-pdf",
    ),
    path("drafts/<int:pk>/publish/", views.publish, name="publish"),
    path(
        "progress-reviews/<int:pk>/",
        progress_review_views.review_latest,
        name="progress-review",
    ),
    path(
        "progress-reviews/<int:pk>/progress-review.pdf",
        progress_review_views.review_pdf,
        name="progress-review-pdf",
    ),
    path(
        "progress-reviews/<int:pk>/versions/<int:number>/",
        progress_review_views.review_version,
        name="progress-review-version",
    ),
    path(
        "progress-reviews/<int:pk>/versions/<int:number>/progress-review.pdf",
        progress_review_views.review_version_pdf,
        name="progress-review-version-pdf",
    ),
    path(
        "progress-reviews/<int:pk>/draft/",
        progress_review_views.review_draft,
        name="progress-review-draft",
    ),
    path(
        "progress-reviews/<int:pk>/draft.pdf",
        progress_review_views.review_draft_pdf,
        name="progress-review-draft-pdf",
    ),
    path(
        "progress-reviews/<int:pk>/publish/",
        progress_review_views.review_publish,
        name="progress-review-publish",
    ),
    path(
        "progress-reviews/<int:pk>/correct/",
        progress_review_views.review_correct,
        name="progress-review-correct",
    ),
    path("<slug:slug>/", views.partnership, name="partnership"),
]
