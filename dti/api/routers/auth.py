"""``POST /api/auth/token``: a personal token for a username and password (throttled)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.throttling import AnonRateThrottle

from dti.accounts.selectors import Access
from dti.api.errors import ApiError
from dti.api.schemas import Me, TokenIn, TokenOut, errors
from dti.api.services import create_personal_token

router = Router(tags=["auth"])


@router.post("/token", auth=None, response={201: TokenOut, **errors(400, 401, 422, 429)},
             throttle=[AnonRateThrottle(settings.DTI_API_RATES["login"])],
             summary="Lấy mã truy cập cá nhân bằng tên đăng nhập và mật khẩu")
def token(request, body: TokenIn):
    user = authenticate(request, username=body.username, password=body.password)
    if user is None or not user.is_active:
        raise ApiError(401, "bad_credentials", _("Sai tên đăng nhập hoặc mật khẩu."))
    created, secret = create_personal_token(user, name=body.name or _("Mã lấy qua API"), write=body.write)
    return Status(201, {"token": secret, "id": created.pk, "name": created.name, "write": created.write})


@router.get("/me", response={200: Me, **errors(401, 429)}, summary="Người gọi và mã đang dùng")
def me(request):
    principal = request.auth
    user = principal.token.user
    return {
        "username": user.get_username(), "full_name": user.get_full_name(),
        "roles": sorted(Access(user).roles), "token_kind": principal.token.kind, "write": principal.token.write,
        "fields": list(principal.token.fields or []), "units": sorted(principal.unit_codes or ()),
    }
