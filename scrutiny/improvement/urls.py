from django.urls import path

from scrutiny.improvement import views

app_name = "improvement"

urlpatterns = [
    # Action plans
    path("inspections/<int:pk>/action-plan/", views.plan_start, name="plan-start"),
    path("plans/<int:pk>/", views.plan_detail, name="plan"),
    path("plans/<int:pk>/submit/", views.plan_submit, name="plan-submit"),
    path("plans/<int:pk>/review/", views.plan_review, name="plan-review"),
    path("plans/<int:pk>/actions/add/", views.action_edit, name="action-add"),
    path("actions/<int:action_pk>/", views.action_detail, name="action"),
    path("actions/<int:action_pk>/edit/", views.action_edit, name="action-edit"),
    path("actions/<int:action_pk>/delete/", views.action_delete, name="action-delete"),
    path("actions/<int:action_pk>/milestones/add/", views.milestone_add, name="milestone-add"),
    path("milestones/<int:pk>/done/", views.milestone_done, name="milestone-done"),
    path("milestones/<int:pk>/edit/", views.milestone_edit, name="milestone-edit"),
    path("milestones/<int:pk>/remove/", views.milestone_remove, name="milestone-remove"),
    path("actions/<int:action_pk>/updates/add/", views.update_add, name="update-add"),
    path("update-files/<int:pk>/", views.update_file, name="update-file"),
    path("actions/<int:action_pk>/status/", views.status_override, name="status-override"),
    path("actions/<int:action_pk>/measures/", views.measure_choose, name="measure-choose"),
    path("measures/<int:pk>/remove/", views.measure_remove, name="measure-remove"),
    # Link-inspector monitoring
    path("partnerships/<slug:slug>/monitoring/", views.monitoring, name="monitoring"),
    path("partnerships/<slug:slug>/contacts/add/", views.contact_add, name="contact-add"),
    path("partnerships/<slug:slug>/notes/add/", views.note_add, name="note-add"),
    path("contacts/<int:pk>/change/", views.contact_change, name="contact-change"),
    path("monitoring-notes/<int:pk>/change/", views.note_change, name="note-change"),
    path("partnerships/<slug:slug>/concerns/add/", views.concern_add, name="concern-add"),
    path("partnerships/<slug:slug>/support/add/", views.support_add, name="support-add"),
    path("partnerships/<slug:slug>/timeline/", views.timeline, name="timeline"),
    path("concerns/<int:pk>/resolve/", views.concern_resolve, name="concern-resolve"),
    path("link-inspectors/", views.assignments, name="assignments"),
    path("link-inspectors/<int:pk>/end/", views.assignment_end, name="assignment-end"),
    # Progress reviews
    path("inspections/<int:pk>/progress-reviews/new/", views.review_create, name="review-create"),
    path("progress-reviews/<int:pk>/", views.review_detail, name="review"),
    path("progress-reviews/<int:pk>/edit/", views.review_edit, name="review-edit"),
    path("progress-reviews/<int:pk>/team/add/", views.review_team_add, name="review-team-add"),
    path(
        "progress-reviews/<int:pk>/areas/<int:finding_pk>/",
        views.finding_edit,
        name="finding-edit",
    ),
    path("progress-reviews/<int:pk>/submit/", views.review_submit, name="review-submit"),
    path("progress-reviews/<int:pk>/quality-assurance/", views.review_qa, name="review-qa"),
    path("findings/<int:pk>/evidence/", views.evidence_choose, name="evidence-choose"),
    path("finding-evidence/<int:pk>/remove/", views.evidence_remove, name="evidence-remove"),
    path("progress-scale/", views.scale, name="scale"),
    path("progress-scale/add/", views.scale_edit, name="scale-add"),
    path("progress-scale/<int:pk>/", views.scale_edit, name="scale-edit"),
]
