from django.urls import path

from . import views

app_name = "plans"

urlpatterns = [
    path("", views.plan_list, name="list"),
    path("new/<int:campaign_id>/<code:unit_code>/", views.draft_view, name="draft"),
    path("<int:plan_id>/", views.plan_detail, name="detail"),
    path("<int:plan_id>/export.xlsx", views.export_xlsx, name="xlsx"),
    path("<int:plan_id>/export.docx", views.export_docx, name="docx"),
    path("<int:plan_id>/tasks/new/", views.task_new, name="new_task"),
    path("<int:plan_id>/tasks/<int:task_id>/", views.task_detail, name="task"),
    path("<int:plan_id>/tasks/<int:task_id>/edit", views.task_edit, name="edit"),
    path("<int:plan_id>/tasks/<int:task_id>/progress", views.task_progress, name="progress"),
    path("<int:plan_id>/tasks/<int:task_id>/comment", views.task_comment, name="comment"),
    path("<int:plan_id>/tasks/<int:task_id>/evidence/<int:pk>", views.evidence_file, name="evidence"),
    path("<int:plan_id>/tasks/<int:task_id>/<slug:name>", views.task_transition, name="transition"),
]
