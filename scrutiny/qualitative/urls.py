from django.urls import URLPattern

app_name = "qualitative"

urlpatterns: list[URLPattern] = []
