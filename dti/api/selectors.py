"""Reading tokens: a person's own, and what a service token may touch."""

from __future__ import annotations

from .models import ApiToken


def tokens_of(user):
    return ApiToken.objects.filter(user=user).prefetch_related("units").order_by("-created_at", "-id")


def token_of(user, pk: int) -> ApiToken | None:
    return ApiToken.objects.filter(user=user, pk=pk).first()


def service_unit_codes(token: ApiToken) -> frozenset[str]:
    return frozenset(token.units.values_list("code", flat=True))
