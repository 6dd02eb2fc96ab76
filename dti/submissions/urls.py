from django.urls import path

from . import views

app_name = "submissions"

urlpatterns = [
    path("", views.entry, name="entry"),
    path("preview/<code:indicator>/", views.preview, name="preview"),
    path("evidence/<int:pk>/", views.evidence_file, name="evidence"),
    path("approve/", views.leader_approve, name="approve"),
    path("withdraw/", views.leader_withdraw, name="withdraw"),
    path("submit/", views.submit, name="submit"),
    path("resubmit/", views.resubmit, name="resubmit"),
]
