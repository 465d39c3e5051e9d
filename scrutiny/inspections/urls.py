from django.urls import path

from scrutiny.inspections import views

app_name = "inspections"

urlpatterns = [
    path("partnerships/<slug:slug>/", views.partnership, name="partnership"),
    path("<int:pk>/", views.detail, name="detail"),
]
