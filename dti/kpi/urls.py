from django.urls import path

from . import views

app_name = "kpi"

urlpatterns = [
    path("", views.programme_list, name="list"),
    path("new/", views.create, name="create"),
    path("<int:pk>/", views.dashboard, name="dashboard"),
    path("<int:pk>/kpi/<code:code>/", views.indicator, name="indicator"),
    path("<int:pk>/kpi/<code:code>/targets/", views.set_target, name="set_target"),
    path("<int:pk>/reports/", views.report_list, name="reports"),
    path("<int:pk>/reports/<code:unit_code>/<code:period>/", views.report, name="report"),
    path("<int:pk>/reports/<code:unit_code>/<code:period>/<str:transition>/", views.report_action, name="report_action"),
    path("<int:pk>/export/", views.export, name="export"),
    path("<int:pk>/import/", views.import_series, name="import"),
]
