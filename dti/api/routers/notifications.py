"""The caller's notifications."""

from __future__ import annotations

import datetime as dt

from ninja import Router, Schema
from pydantic import Field

from dti.api.schemas import COMMON, errors
from dti.notifications import selectors, services

router = Router(tags=["notifications"])


class NotificationOut(Schema):
    id: int
    kind: str
    title: str
    body: str
    url: str
    created_at: dt.datetime
    read: bool


class ReadIn(Schema):
    ids: list[int] | None = Field(None, max_length=1000, description="Bỏ trống = tất cả")


class ReadOut(Schema):
    marked: int


@router.get("", response={200: list[NotificationOut], **errors(*COMMON)}, summary="Thông báo của người gọi")
def notification_list(request):
    request.auth.require_personal()
    return [{"id": n.pk, "kind": n.kind, "title": n.title, "body": n.body, "url": n.url, "created_at": n.created_at,
             "read": n.read_at is not None} for n in selectors.notifications_for(request.auth.token.user)]


@router.post("/read", response={200: ReadOut, **errors(*COMMON)}, summary="Đánh dấu đã đọc")
def mark_read(request, body: ReadIn):
    request.auth.require_personal()
    ids = None if body.ids is None else [i for i in body.ids if 0 < i < 2**31]
    return {"marked": services.mark_read(request.auth.token.user, ids)}
