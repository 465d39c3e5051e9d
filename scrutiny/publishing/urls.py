from django.urls import path

from scrutiny.publishing import views

app_name = "publishing"

urlpatterns = [
    path("", views.partnerships, name="partnerships"),
]
