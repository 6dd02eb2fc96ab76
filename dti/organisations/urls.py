from django.urls import path

from . import views

app_name = "organisations"

urlpatterns = [
    path("", views.unit_list, name="list"),
    path("import/", views.import_view, name="import"),
    path("import/mau.csv", views.sample_csv, name="sample"),
]
