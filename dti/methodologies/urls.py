from django.urls import path

from . import views

app_name = "methodologies"

urlpatterns = [
    path("", views.framework_list, name="list"),
    path("new/", views.create, name="create"),
    path("format/", views.format_help, name="format"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/yaml/", views.yaml_text, name="yaml"),
    path("<int:pk>/new-version/", views.new_version, name="new_version"),
]
