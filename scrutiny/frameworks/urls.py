from django.urls import path

from scrutiny.frameworks import views

app_name = "frameworks"

urlpatterns = [
    path("", views.framework_list, name="list"),
    path("<slug:slug>/", views.framework_detail, name="detail"),
    path("<slug:slug>/qis/add/", views.qi_add, name="qi-add"),
    path("<slug:slug>/qis/<int:pk>/edit/", views.qi_edit, name="qi-edit"),
]
