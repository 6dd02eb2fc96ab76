from django.urls import path

from . import views

app_name = "excel"

urlpatterns = [
    path("", views.bulk_upload, name="bulk"),
    path("template.xlsx", views.bulk_template, name="bulk_template"),
    path("ranking.xlsx", views.ranking_xlsx, name="ranking"),
    path("units/<code:unit_code>/", views.unit_upload, name="unit"),
    path("units/<code:unit_code>/template.xlsx", views.unit_template, name="unit_template"),
    path("units/<code:unit_code>/scorecard.xlsx", views.scorecard_xlsx, name="scorecard"),
]
