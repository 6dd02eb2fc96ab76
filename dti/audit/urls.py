from django.urls import path

from . import views

app_name = "audit"

urlpatterns = [
    path("", views.trail, name="trail"),
    path("nhat-ky.xlsx", views.export, name="export"),
]
