from django.urls import path

from . import views

app_name = "recognition"

urlpatterns = [
    path("campaign/<int:campaign_id>/", views.home, name="home"),
    path("campaign/<int:campaign_id>/register/<str:unit_code>/", views.register, name="register"),
    path("campaign/<int:campaign_id>/extend/", views.extend, name="extend"),
    path("campaign/<int:campaign_id>/councils/new/", views.council_new, name="council_new"),
    path("campaign/<int:campaign_id>/decisions/new/", views.decision_new, name="decision_new"),
    path("campaign/<int:campaign_id>/report/", views.report, name="report"),
    path("campaign/<int:campaign_id>/report.xlsx", views.report_xlsx, name="report_xlsx"),
    path("campaign/<int:campaign_id>/report.docx", views.report_docx, name="report_docx"),
    path("councils/<int:council_id>/", views.council, name="council"),
    path("files/<int:file_id>/", views.file_detail, name="file"),
    path("decisions/<int:decision_id>/", views.decision, name="decision"),
    path("decisions/<int:decision_id>/draft.docx", views.decision_docx, name="decision_docx"),
    path("decisions/<int:decision_id>/draft.pdf", views.decision_pdf, name="decision_pdf"),
    path("decisions/<int:decision_id>/signed.pdf", views.signed_pdf, name="signed_pdf"),
]
