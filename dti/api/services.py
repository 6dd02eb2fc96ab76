"""Creating, checking and revoking API tokens.

A token is ``dti_`` + 32 random bytes (URL-safe); only its sha256 is stored, so a copy of
the database gives nobody access.  The secret is returned once, at creation.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dti.accounts.selectors import Access
from dti.audit.services import record
from dti.site.text import check_text

from .models import ApiToken

PREFIX = "dti_"
LAST_USED_EVERY = dt.timedelta(minutes=1)  # one UPDATE a minute per token, not one per request


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def _new_secret() -> str:
    return PREFIX + secrets.token_urlsafe(32)


@transaction.atomic
def create_personal_token(user, *, name: str, write: bool = False) -> tuple[ApiToken, str]:
    """A token acting with ``user``'s roles; (token, secret shown once)."""
    name = check_text(name, max_length=100, multiline=False, field="name") or _("Mã truy cập")
    secret = _new_secret()
    token = ApiToken.objects.create(user=user, name=name, write=write, digest=digest(secret),
                                    prefix=secret[:12], kind=ApiToken.Kind.PERSONAL)
    record(user, "api.token.create", token, new=f"{token.prefix}… {name}")
    return token, secret


@transaction.atomic
def create_service_token(user, *, name: str, platform: str, fields: list[str], units, campaign=None
                         ) -> tuple[ApiToken, str]:
    """A platform's token bound to ``fields`` of ``units``; only an administrator of every one of them creates it."""
    name = check_text(name, max_length=100, multiline=False, field="name") or platform
    platform = check_text(platform, max_length=100, multiline=False, field="platform")
    if not platform:
        raise ValidationError({"platform": _("Cần ghi tên nền tảng (ví dụ Hue-S).")})
    fields = sorted({check_text(f, max_length=200, multiline=False, field="fields") for f in fields} - {""})
    units = list(units)
    if not fields or not units:
        raise ValidationError(_("Mã của nền tảng cần ít nhất một trường và một đơn vị."))
    access = Access(user)
    if not all(access.can_manage_unit(unit) for unit in units):
        raise PermissionDenied(_("Chỉ quản trị của các đơn vị này mới tạo được mã cho nền tảng."))
    secret = _new_secret()
    token = ApiToken.objects.create(user=user, name=name, kind=ApiToken.Kind.SERVICE, write=True, platform=platform,
                                    fields=fields, campaign=campaign, digest=digest(secret), prefix=secret[:12])
    token.units.set(units)
    record(user, "api.token.create", token, new=f"{token.prefix}… {platform}: {', '.join(fields)}")
    return token, secret


def revoke_token(token: ApiToken, *, user) -> None:
    """Revoked at once; a revoked token answers 401 like an unknown one."""
    if token.revoked_at is None:
        ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
        record(user, "api.token.revoke", token, old=f"{token.prefix}… {token.name}")


def authenticate(secret: str) -> ApiToken | None:
    """The active token with this secret (its owner active), or None."""
    if not secret.startswith(PREFIX) or len(secret) > 100:
        return None
    token = (ApiToken.objects.select_related("user", "campaign").filter(digest=digest(secret), revoked_at__isnull=True)
             .first())
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
