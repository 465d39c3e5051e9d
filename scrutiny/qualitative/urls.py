from django.urls import path

from scrutiny.qualitative import views

app_name = "qualitative"

urlpatterns = [
    path("partnerships/<slug:slug>/new/", views.project_create, name="project-create"),
    path("partnerships/<slug:slug>/import/", views.project_import, name="project-import"),
    path(
        "inspections/<int:pk>/new/",
        views.inspection_project_create,
        name="inspection-project-create",
    ),
    path("<int:pk>/", views.project, name="project"),
    path("<int:pk>/edit/", views.project_edit, name="project-edit"),
    path("<int:pk>/export.qdpx", views.project_export, name="project-export"),
    # sources and coding
    path("<int:pk>/sources/", views.sources, name="sources"),
    path("<int:pk>/sources/add/", views.source_add, name="source-add"),
    path("<int:pk>/sources/import/", views.comments_import, name="comments-import"),
    path("<int:pk>/sources/import/<int:import_pk>/", views.comments_map, name="comments-map"),
    path("<int:pk>/sources/survey/", views.survey_import, name="survey-import"),
    path("<int:pk>/sources/<int:source_pk>/", views.source, name="source"),
    path("<int:pk>/sources/<int:source_pk>/edit/", views.source_edit, name="source-edit"),
    path("<int:pk>/sources/<int:source_pk>/delete/", views.source_delete, name="source-delete"),
    path("<int:pk>/sources/<int:source_pk>/code/", views.code_comments, name="code-comments"),
    path("<int:pk>/sources/<int:source_pk>/code-part/", views.code_span, name="code-span"),
    path("<int:pk>/codings/<int:coding_pk>/", views.coding, name="coding"),
    path("<int:pk>/codings/<int:coding_pk>/delete/", views.coding_delete, name="coding-delete"),
    # codebook
    path("<int:pk>/codebook/", views.codebook, name="codebook"),
    path("<int:pk>/codebook/add/", views.code_add, name="code-add"),
    path("<int:pk>/codebook/export.qdc", views.codebook_export, name="codebook-export"),
    path("<int:pk>/codebook/import/", views.codebook_import, name="codebook-import"),
    path("<int:pk>/codebook/<int:code_pk>/", views.code_edit, name="code-edit"),
    path("<int:pk>/codebook/<int:code_pk>/merge/", views.code_merge, name="code-merge"),
    path("<int:pk>/codebook/<int:code_pk>/delete/", views.code_delete, name="code-delete"),
    # double coding
    path("<int:pk>/checks/", views.checks, name="checks"),
    path("<int:pk>/checks/new/", views.check_create, name="check-create"),
    path("<int:pk>/checks/<int:check_pk>/", views.check, name="check"),
    path("<int:pk>/checks/<int:check_pk>/code/", views.check_code, name="check-code"),
    path("<int:pk>/checks/<int:check_pk>/finish/", views.check_finish, name="check-finish"),
    path(
        "<int:pk>/checks/<int:check_pk>/disagreements/",
        views.check_disagreements,
        name="check-disagreements",
    ),
    path(
        "<int:pk>/checks/<int:check_pk>/reconcile/",
        views.check_reconcile,
        name="check-reconcile",
    ),
    path("<int:pk>/checks/<int:check_pk>/close/", views.check_close, name="check-close"),
    # search and analysis
    path("<int:pk>/search/", views.search, name="search"),
    path("<int:pk>/analysis/", views.analysis, name="analysis"),
    path("<int:pk>/analysis/co-occurrence/", views.cooccurrence, name="cooccurrence"),
    path("<int:pk>/analysis/crosstab/", views.crosstab, name="crosstab"),
    path("<int:pk>/analysis/crosstab.csv", views.crosstab_export, name="crosstab-export"),
    # assisted coding
    path("<int:pk>/suggestions/", views.assist, name="assist"),
    path("<int:pk>/suggestions/train/", views.assist_train, name="assist-train"),
    path("<int:pk>/suggestions/decide/", views.suggestions_decide, name="suggestions-decide"),
    path("<int:pk>/suggestions/themes/<int:theme_pk>/", views.theme_name, name="theme-name"),
    # quotes
    path("<int:pk>/quotes/", views.quotes, name="quotes"),
    path("<int:pk>/quotes/add/<int:coding_pk>/", views.quote_add, name="quote-add"),
    path("<int:pk>/quotes/<int:quote_pk>/", views.quote, name="quote"),
    path("<int:pk>/quotes/<int:quote_pk>/delete/", views.quote_delete, name="quote-delete"),
]
