from django.urls import path

from scrutiny.fieldwork import views

app_name = "fieldwork"

urlpatterns = [
    path("inspections/<int:pk>/", views.overview, name="overview"),
    path("inspections/<int:pk>/return/", views.return_page, name="return"),
    path("inspections/<int:pk>/return/children/", views.return_children, name="return-children"),
    path("return-template/<str:fmt>/", views.return_template, name="return-template"),
    path("inspections/<int:pk>/sample/", views.sample_page, name="sample"),
    path("inspections/<int:pk>/sample/draw/", views.sample_draw, name="sample-draw"),
    path("inspections/<int:pk>/sample/export/", views.sample_export, name="sample-export"),
    path("inspections/<int:pk>/reading/", views.reading, name="reading"),
    path("inspections/<int:pk>/reading/pairs/add/", views.pair_add, name="pair-add"),
    path(
        "inspections/<int:pk>/reading/pairs/<int:pair_pk>/remove/",
        views.pair_remove,
        name="pair-remove",
    ),
    path("inspections/<int:pk>/reading/assign/", views.assign, name="assign"),
    path("inspections/<int:pk>/reading/moderation/", views.moderation, name="moderation"),
    path(
        "inspections/<int:pk>/reading/records/<int:record_pk>/",
        views.reading_record,
        name="reading-record",
    ),
    path(
        "inspections/<int:pk>/reading/records/<int:record_pk>/second/",
        views.reading_moderate,
        name="reading-moderate",
    ),
    path(
        "inspections/<int:pk>/reading/records/<int:record_pk>/assign/",
        views.record_assign,
        name="record-assign",
    ),
    path("inspections/<int:pk>/reading/results/", views.reading_results, name="results"),
    path(
        "inspections/<int:pk>/reading/results/download/",
        views.reading_results_csv,
        name="results-csv",
    ),
    path("inspections/<int:pk>/reading/evidence/", views.reading_evidence, name="evidence"),
    path("templates/", views.templates, name="templates"),
    path("templates/load/", views.template_load, name="template-load"),
    path("templates/<int:template_pk>/", views.template_detail, name="template"),
    path(
        "templates/<int:template_pk>/download/",
        views.template_download,
        name="template-download",
    ),
    path("instruments/<int:instrument_pk>/", views.instrument_detail, name="instrument"),
    path("inspections/<int:pk>/surveys/", views.surveys, name="surveys"),
    path("inspections/<int:pk>/surveys/add/", views.survey_add, name="survey-add"),
    path("surveys/<int:survey_pk>/", views.survey_detail, name="survey"),
    path("surveys/<int:survey_pk>/edit/", views.survey_edit, name="survey-edit"),
    path("surveys/<int:survey_pk>/delete/", views.survey_delete, name="survey-delete"),
    path("surveys/<int:survey_pk>/download/", views.survey_csv, name="survey-csv"),
    path("surveys/<int:survey_pk>/evidence/", views.survey_evidence, name="survey-evidence"),
    path("surveys/<int:survey_pk>/free-text/", views.survey_free_text, name="survey-free-text"),
    path("surveys/<int:survey_pk>/import/", views.survey_upload, name="survey-upload"),
    path(
        "surveys/<int:survey_pk>/import/<int:pending_pk>/",
        views.survey_map,
        name="survey-map",
    ),
    path(
        "surveys/<int:survey_pk>/import/<int:pending_pk>/cancel/",
        views.survey_upload_cancel,
        name="survey-upload-cancel",
    ),
    path(
        "surveys/<int:survey_pk>/imports/<int:import_pk>/remove/",
        views.survey_import_delete,
        name="survey-import-delete",
    ),
]
