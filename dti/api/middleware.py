"""Answers under /api/ that Django produced before django-ninja could (an unknown path, a wrong
method, a body over DATA_UPLOAD_MAX_MEMORY_SIZE) are JSON too, in the API's error shape."""

from __future__ import annotations

import json

from django.http import HttpResponse
from django.utils.translation import gettext as _

MESSAGES = {
    400: ("bad_request", lambda: _("Yêu cầu không đọc được hoặc quá lớn.")),
    404: ("not_found", lambda: _("Không tìm thấy, hoặc bạn không có quyền xem.")),
    405: ("method_not_allowed", lambda: _("Phương thức không được hỗ trợ ở địa chỉ này.")),
    # django-axes answers a locked-out account (too many wrong passwords) before the API does.
    429: ("locked_out", lambda: _("Tài khoản đang tạm khóa vì nhập sai mật khẩu nhiều lần; hãy thử lại sau.")),
    500: ("server_error", lambda: _("Lỗi máy chủ; yêu cầu chưa được thực hiện.")),
}


class JsonErrorsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (response.status_code >= 400 and request.path.startswith("/api/")
                and not response.get("Content-Type", "").startswith("application/json")):
            code, message = MESSAGES.get(response.status_code, ("error", lambda: _("Yêu cầu không thực hiện được.")))
            body = json.dumps({"code": code, "message": message(), "details": None}, ensure_ascii=False)
            replaced = HttpResponse(body, status=response.status_code, content_type="application/json; charset=utf-8")
            if response.has_header("Allow"):
                replaced["Allow"] = response["Allow"]
            return replaced
        return response
