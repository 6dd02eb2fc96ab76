from django.urls import path

from . import views

app_name = "results"

urlpatterns = [
    path("", views.ranking, name="ranking"),
    path("export.csv", views.ranking_csv, name="ranking_csv"),
    path("sensitivity", views.sensitivity_view, name="sensitivity"),
    path("<code:unit_code>/", views.scorecard_view, name="scorecard"),
]
