"""The REST API: ``/api/`` (OpenAPI 3 at ``/api/openapi.json``, interactive docs at ``/api/docs``)."""

from __future__ import annotations

from django.conf import settings
from ninja import NinjaAPI
from ninja.renderers import JSONRenderer
from ninja.throttling import AuthRateThrottle

from . import errors
from .auth import TokenAuth
from .routers import auth, campaigns, frameworks, notifications, results, submissions


class Renderer(JSONRenderer):
    json_dumps_params = {"ensure_ascii": False}  # Vietnamese readable in curl and logs


api = NinjaAPI(
    renderer=Renderer(),
    title="DTI API",
    version="1",
    description=(
        "API của hệ thống đánh giá chuyển đổi số. Xác thực: `Authorization: Bearer <mã>` "
        "(lấy mã bằng `POST /api/auth/token` hoặc tạo ở trang Tài khoản → Mã truy cập API). "
        "Lỗi luôn là JSON `{code, message, details}`; `code` dành cho máy, `message` bằng tiếng Việt."
    ),
    auth=TokenAuth(),
    throttle=[AuthRateThrottle(settings.DTI_API_RATES["token"])],
    urls_namespace="api",
)
errors.install(api)
api.add_router("/auth", auth.router)
api.add_router("/frameworks", frameworks.router)
api.add_router("", campaigns.router)
api.add_router("", submissions.router)
api.add_router("", results.router)
api.add_router("/notifications", notifications.router)
