from django.urls import path

from . import views

app_name = "documents"

urlpatterns = [
    path("ranking/", views.ranking_document, name="ranking"),
    path("scorecard/<code:unit_code>/", views.scorecard_document, name="scorecard"),
]
