from django.urls import path

from . import views

app_name = "review"

urlpatterns = [
    path("", views.detail, name="detail"),
    path("item/<code:indicator>/", views.item_action, name="item"),
    path("accept-remaining/", views.accept_remaining, name="accept_remaining"),
    path("start/", views.start, name="start"),
    path("send-back/", views.send_back, name="send_back"),
    path("approve/", views.approve, name="approve"),
    path("publish/", views.publish, name="publish"),
]
