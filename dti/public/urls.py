from django.urls import path

from . import views

app_name = "public"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:campaign_id>/", views.campaign_view, name="campaign"),
    path("<int:campaign_id>/export.csv", views.campaign_csv, name="csv"),
    path("<int:campaign_id>/ket-qua.xlsx", views.campaign_xlsx, name="xlsx"),
    path("<int:campaign_id>/manage/", views.manage, name="manage"),
    path("<int:campaign_id>/<code:unit_code>/", views.scorecard_view, name="scorecard"),
]
