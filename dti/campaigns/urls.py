from django.urls import path

from . import views

app_name = "campaigns"

urlpatterns = [
    path("", views.campaign_list, name="list"),
    path("new/", views.create, name="create"),
    path("<int:campaign_id>/", views.detail, name="detail"),
    path("<int:campaign_id>/calendar/", views.calendar_edit, name="calendar"),
    path("<int:campaign_id>/extensions/", views.extension, name="extension"),
    path("<int:campaign_id>/units/add/", views.add_units_view, name="add_units"),
    path("<int:campaign_id>/publish/", views.publish, name="publish"),
    path("<int:campaign_id>/readings/", views.readings_edit, name="readings"),
]
