from __future__ import annotations

from django.urls import path

from scrutiny.indicators import views

app_name = "indicators"

urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("catalogue/<slug:key>/", views.definition, name="definition"),
    path("catalogue/<slug:key>/edit/", views.catalogue_edit, name="catalogue-edit"),
    path("imports/", views.imports, name="imports"),
    path("imports/cube/", views.import_cube, name="import-cube"),
    path("imports/child-level/", views.import_child_level, name="import-child-level"),
    path("imports/child-level/<int:pk>/", views.child_level_run, name="child-level-run"),
    path("public/<slug:slug>/", views.public, name="public"),
    path("public/<slug:slug>/indicators.csv", views.public_csv, name="public-csv"),
    path("p/<slug:slug>/", views.dashboard, name="dashboard"),
    path("p/<slug:slug>/indicators.csv", views.dashboard_csv, name="dashboard-csv"),
    path("p/<slug:slug>/comparators/", views.comparators, name="comparators"),
    path("p/<slug:slug>/comparators/add/", views.comparator_edit, name="comparator-add"),
    path("p/<slug:slug>/comparators/<int:pk>/", views.comparator_edit, name="comparator-edit"),
    path(
        "p/<slug:slug>/comparators/<int:pk>/delete/",
        views.comparator_delete,
        name="comparator-delete",
    ),
    path("p/<slug:slug>/local/add/", views.local_edit, name="local-add"),
    path("p/<slug:slug>/local/<slug:key>/edit/", views.local_edit, name="local-edit"),
    path("p/<slug:slug>/local/<slug:key>/values/", views.local_values, name="local-values"),
    path("p/<slug:slug>/local/<slug:key>/upload/", views.local_upload, name="local-upload"),
    path("p/<slug:slug>/links/<int:pk>/delete/", views.link_delete, name="link-delete"),
    path("p/<slug:slug>/<slug:key>/", views.chart, name="chart"),
    path("p/<slug:slug>/<slug:key>/data.csv", views.chart_csv, name="chart-csv"),
    path("p/<slug:slug>/<slug:key>/target/", views.target, name="target"),
    path("p/<slug:slug>/<slug:key>/baseline/", views.baseline, name="baseline"),
    path("p/<slug:slug>/<slug:key>/rebases/", views.rebase_add, name="rebase-add"),
    path(
        "p/<slug:slug>/<slug:key>/rebases/<int:pk>/delete/",
        views.rebase_delete,
        name="rebase-delete",
    ),
    path("p/<slug:slug>/<slug:key>/links/area/", views.link_area, name="link-area"),
    path("p/<slug:slug>/<slug:key>/links/action/", views.link_action, name="link-action"),
]
