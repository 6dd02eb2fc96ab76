from django.urls import path

from . import views

app_name = "published"

urlpatterns = [
    path("", views.list_view, name="list"),
    path("import/", views.import_view, name="import"),
    path("<code:unit_code>/", views.detail_view, name="detail"),
]
