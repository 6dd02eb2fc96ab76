"""Every API error is JSON: ``{"code": machine code, "message": Vietnamese sentence, "details": …}``.

Clients switch on ``code`` (stable, English); people read ``message``.  A unit, submission or
campaign the caller may not see answers 404 ``not_found``, exactly as in the web.
"""

from __future__ import annotations

import math

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

from dti.submissions.workflow import StaleState, WorkflowError


class ApiError(Exception):
    """An answer other than success, raised from an endpoint."""

    def __init__(self, status: int, code: str, message: str, details=None):
        self.status, self.code, self.message, self.details = status, code, message, details
        super().__init__(message)


def not_found() -> ApiError:
    return ApiError(404, "not_found", _("Không tìm thấy, hoặc bạn không có quyền xem."))


def forbidden(message: str | None = None, code: str = "forbidden") -> ApiError:
    return ApiError(403, code, message or _("Bạn không có quyền thực hiện việc này."))


def _body(code: str, message: str, details=None) -> dict:
    return {"code": code, "message": message, "details": details}


def install(api) -> None:
    """Replace django-ninja's English ``{"detail": …}`` answers with ours."""

    def respond(request, status, code, message, details=None, headers=None):
        response = api.create_response(request, _body(code, message, details), status=status)
        for key, value in (headers or {}).items():
            response[key] = value
        return response

    @api.exception_handler(ApiError)
    def api_error(request, exc: ApiError):
        return respond(request, exc.status, exc.code, exc.message, exc.details)

    @api.exception_handler(Http404)
    def missing(request, exc):
        error = not_found()
        return respond(request, 404, error.code, error.message)

    @api.exception_handler(PermissionDenied)
    def denied(request, exc):
        return respond(request, 403, "forbidden", str(exc) or _("Bạn không có quyền thực hiện việc này."))

    @api.exception_handler(StaleState)
    def stale(request, exc):
        return respond(request, 409, "stale_state", str(exc))

    @api.exception_handler(WorkflowError)
    def refused(request, exc):
        return respond(request, 409, "refused", str(exc))

    @api.exception_handler(ValidationError)
    def invalid(request, exc: ValidationError):
        details = [{"loc": [str(p) for p in e.get("loc", ())], "msg": str(e.get("msg", ""))} for e in exc.errors]
        return respond(request, 422, "invalid", _("Dữ liệu gửi lên không hợp lệ; xem 'details'."), details)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc):
        return respond(request, 401, "unauthenticated",
                       _("Thiếu hoặc sai mã truy cập; gửi tiêu đề 'Authorization: Bearer <mã>'."),
                       headers={"WWW-Authenticate": "Bearer"})

    @api.exception_handler(Throttled)
    def throttled(request, exc: Throttled):
        wait = max(1, math.ceil(exc.wait or 1))
        return respond(request, 429, "rate_limited",
                       _("Quá nhiều yêu cầu; hãy thử lại sau %(s)d giây.") % {"s": wait},
                       headers={"Retry-After": str(wait)})

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        codes = {400: ("bad_request", _("Yêu cầu không đọc được (JSON sai cú pháp?).")),
                 405: ("method_not_allowed", _("Phương thức không được hỗ trợ ở địa chỉ này."))}
        code, message = codes.get(exc.status_code, ("error", _("Yêu cầu không thực hiện được.")))
        return respond(request, exc.status_code, code, message)
