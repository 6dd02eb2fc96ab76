"""The inbox: a person's own notifications, read marks, the e-mail choice."""

from __future__ import annotations

from dti.notifications.models import Notification, Preference
from dti.notifications.services import notify

from .api_helpers import api_as


def test_inbox_lists_own_notifications_only(client, users):
    notify(users["reporter"], kind="deadline", key="k1", title="Còn 7 ngày", body="Đợt thử")
    notify(users["reporter_b"], kind="deadline", key="k1", title="Của người khác")
    client.force_login(users["reporter"])
    page = client.get("/notifications/").content.decode()
    assert "Còn 7 ngày" in page and "Của người khác" not in page
    assert "Thông báo (1)" in client.get("/").content.decode()


def test_read_all_marks_read(client, users):
    notify(users["reporter"], kind="deadline", key="k1", title="Còn 7 ngày")
    client.force_login(users["reporter"])
    client.post("/notifications/read/")
    assert not Notification.objects.filter(user=users["reporter"], read_at__isnull=True).exists()


def test_email_preference_is_saved(client, users):
    client.force_login(users["reporter"])
    client.post("/notifications/preference/", {})
    assert Preference.objects.get(user=users["reporter"]).email is False
    client.post("/notifications/preference/", {"email": "on"})
    assert Preference.objects.get(user=users["reporter"]).email is True


def test_api_lists_and_marks_notifications(users):
    notify(users["reporter"], kind="deadline", key="k1", title="Còn 7 ngày")
    api = api_as(users["reporter"])
    items = api.get("/notifications").json()
    assert [(n["title"], n["read"]) for n in items] == [("Còn 7 ngày", False)]
    assert api.post("/notifications/read", {"ids": [items[0]["id"]]}).json() == {"marked": 1}
    assert api.get("/notifications").json()[0]["read"] is True
