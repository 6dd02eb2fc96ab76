from django.urls import path

from . import views

app_name = "review_queue"

urlpatterns = [
    path("", views.queue, name="list"),
]
