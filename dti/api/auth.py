"""``Authorization: Bearer <token>``: the request then acts as the token's owner."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from ninja.security import HttpBearer

from dti.accounts.selectors import Access

from . import services
from .errors import forbidden
from .models import ApiToken


@dataclass
class Principal:
    """Who is calling: a token and its owner's roles (a service token only within its fields and units)."""

    token: ApiToken
    unit_codes: frozenset[str] | None = None  # service tokens only

    def __str__(self) -> str:  # the rate limiter's key: one budget per token
        return f"token:{self.token.pk}"

    @property
    def is_service(self) -> bool:
        return self.token.is_service

    def require_write(self) -> None:
        if not self.token.write:
            raise forbidden(_("Mã truy cập này chỉ được đọc; tạo mã có quyền ghi để gửi số liệu."), "read_only_token")

    def require_personal(self) -> None:
        if self.is_service:
            raise forbidden(_("Mã của nền tảng chỉ đọc và ghi các trường được cấp."), "token_scope")


class TokenAuth(HttpBearer):
    def authenticate(self, request, token: str):
        found = services.authenticate(token)
        if found is None:
            return None
        request.user = found.user
        request._dti_access = Access(found.user)
        codes = frozenset(found.units.values_list("code", flat=True)) if found.is_service else None
        return Principal(found, codes)
