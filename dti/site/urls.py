from django.conf import settings
from django.contrib import admin
from django.contrib.staticfiles.views import serve as serve_static
from django.urls import include, path, re_path, register_converter

from dti.api.api import api

from . import views


class CodeConverter:
    regex = r"[A-Za-z0-9][A-Za-z0-9_.-]*"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(CodeConverter, "code")

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("accounts/tokens/", include("dti.api.urls")),
    path("accounts/", include("dti.accounts.urls")),
    path("notifications/", include("dti.notifications.urls")),
    path("api/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("units/", include("dti.organisations.urls")),
    path("frameworks/", include("dti.methodologies.urls")),
    path("campaigns/", include("dti.campaigns.urls")),
    path("kpi/", include("dti.kpi.urls")),
    path("public/", include("dti.public.urls")),
    path("review/", include("dti.review.queue_urls")),
    path("plans/", include("dti.plans.urls")),
    path("campaigns/<int:campaign_id>/published/", include("dti.published.urls")),
    path("recognition/", include("dti.recognition.urls")),
    path("campaigns/<int:campaign_id>/results/", include("dti.results.urls")),
    path("campaigns/<int:campaign_id>/excel/", include("dti.excel.urls")),
    path("campaigns/<int:campaign_id>/documents/", include("dti.documents.urls")),
    path("campaigns/<int:campaign_id>/units/<code:unit_code>/review/", include("dti.review.urls")),
    path("campaigns/<int:campaign_id>/units/<code:unit_code>/audit/", include("dti.audit.urls")),
    path("campaigns/<int:campaign_id>/units/<code:unit_code>/", include("dti.submissions.urls")),
]

if settings.DTI_SERVE_STATIC:
    urlpatterns.append(re_path(r"^static/(?P<path>.*)$", serve_static, {"insecure": True}))
