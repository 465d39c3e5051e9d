from django.urls import path

from scrutiny.frontend import views

app_name = "frontend"

urlpatterns = [
    path("", views.home, name="home"),
    path("partnerships/<slug:slug>/", views.partnership, name="partnership"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("privacy/", views.privacy, name="privacy"),
]
