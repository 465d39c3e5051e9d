from django.urls import path

from scrutiny.inspections import views

app_name = "inspections"

urlpatterns = [
    path("new/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/advance/", views.advance, name="advance"),
    path("<int:pk>/team/add/", views.team_add, name="team-add"),
    path("<int:pk>/team/<int:member_pk>/remove/", views.team_remove, name="team-remove"),
    path("<int:pk>/team/<int:member_pk>/make-lead/", views.team_make_lead, name="team-make-lead"),
    path("<int:pk>/evidence/", views.evidence, name="evidence"),
    path("<int:pk>/evidence/add/", views.evidence_add, name="evidence-add"),
    path("<int:pk>/evidence/<int:item_pk>/delete/", views.evidence_delete, name="evidence-delete"),
    path("<int:pk>/evidence/files/<int:file_pk>/", views.evidence_file, name="evidence-file"),
    path("<int:pk>/evaluations/", views.evaluations, name="evaluations"),
    path("<int:pk>/evaluations/<int:qi_pk>/", views.evaluation_edit, name="evaluation-edit"),
    path("<int:pk>/findings/", views.findings, name="findings"),
    path("<int:pk>/findings/strengths/add/", views.strength_add, name="strength-add"),
    path(
        "<int:pk>/findings/strengths/<int:item_pk>/delete/",
        views.strength_delete,
        name="strength-delete",
    ),
    path("<int:pk>/findings/areas/add/", views.area_edit, name="area-add"),
    path("<int:pk>/findings/areas/<int:item_pk>/", views.area_edit, name="area-edit"),
    path("<int:pk>/findings/areas/<int:item_pk>/delete/", views.area_delete, name="area-delete"),
    path("<int:pk>/findings/practice/add/", views.practice_add, name="practice-add"),
    path(
        "<int:pk>/findings/practice/<int:item_pk>/delete/",
        views.practice_delete,
        name="practice-delete",
    ),
    path("<int:pk>/quality-assurance/", views.quality_assurance, name="quality-assurance"),
    path("<int:pk>/factual-accuracy/", views.factual_accuracy, name="factual-accuracy"),
    path(
        "<int:pk>/factual-accuracy/<int:comment_pk>/respond/",
        views.factual_accuracy_respond,
        name="factual-accuracy-respond",
    ),
]
