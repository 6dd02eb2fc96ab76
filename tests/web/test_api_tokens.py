"""Tokens: hashed, shown once, revoked at once; the password exchange is throttled."""

from __future__ import annotations

import hashlib

from django.test import Client

from dti.api.models import ApiToken
from dti.api.services import create_personal_token, revoke_token

from .api_helpers import ApiClient


def test_token_is_stored_as_sha256_only(users):
    token, secret = create_personal_token(users["reporter"], name="máy bảng")
    assert token.digest == hashlib.sha256(secret.encode()).hexdigest()
    assert not ApiToken.objects.filter(digest=secret).exists()
    assert secret not in str(ApiToken.objects.filter(pk=token.pk).values().first())


def test_token_acts_as_its_owner(users):
    _token, secret = create_personal_token(users["reporter"], name="x")
    body = ApiClient(secret).get("/auth/me").json()
    assert body["username"] == users["reporter"].username and body["roles"] == ["reporter"]


def test_revoked_token_answers_401(users):
    token, secret = create_personal_token(users["reporter"], name="x")
    revoke_token(token, user=users["reporter"])
    answer = ApiClient(secret).get("/campaigns")
    assert answer.status_code == 401
    assert answer.json()["code"] == "unauthenticated" and "Bearer" in answer.json()["message"]


def test_missing_or_wrong_token_answers_401_json(db):
    assert ApiClient(None).get("/campaigns").json()["code"] == "unauthenticated"
    assert ApiClient("dti_not-a-real-token").get("/campaigns").status_code == 401


def test_inactive_owner_token_answers_401(users):
    _token, secret = create_personal_token(users["reporter"], name="x")
    users["reporter"].is_active = False
    users["reporter"].save()
    assert ApiClient(secret).get("/campaigns").status_code == 401


def test_password_exchange_returns_a_token_once(users):
    answer = ApiClient(None).post("/auth/token", {"username": "bientap.so-a", "password": "pw-bientap.so-a"})
    assert answer.status_code == 201
    secret = answer.json()["token"]
    assert answer.json()["write"] is False  # read only unless asked
    assert ApiClient(secret).get("/auth/me").json()["username"] == "bientap.so-a"


def test_bad_password_answers_401_in_vietnamese(users):
    answer = ApiClient(None).post("/auth/token", {"username": "bientap.so-a", "password": "sai"})
    assert answer.status_code == 401
    assert answer.json() == {"code": "bad_credentials", "message": "Sai tên đăng nhập hoặc mật khẩu.", "details": None}


def test_password_exchange_is_throttled_per_address(users):
    """10 a minute from one address, whatever the names tried (each name stays under its own lockout)."""
    names = ["bientap.so-a", "lanhdao.so-a", "xem.so-a", "bientap.so-b", "thamdinh"]
    codes = [ApiClient(None).post("/auth/token", {"username": names[i % 5], "password": "sai"}).status_code
             for i in range(12)]
    assert codes[:10] == [401] * 10 and codes[10:] == [429, 429]
    answer = ApiClient(None).post("/auth/token", {"username": "bientap.so-a", "password": "pw-bientap.so-a"})
    assert answer.status_code == 429
    assert answer.json()["code"] == "rate_limited" and int(answer["Retry-After"]) >= 1


def test_account_is_locked_after_repeated_wrong_passwords_through_the_api(users, settings):
    """The same lockout as the sign-in page (django-axes, per username), answered in the API's shape."""
    codes = [ApiClient(None).post("/auth/token", {"username": "bientap.so-a", "password": "sai"}).status_code
             for _ in range(settings.AXES_FAILURE_LIMIT + 1)]
    assert codes[:settings.AXES_FAILURE_LIMIT - 1] == [401] * (settings.AXES_FAILURE_LIMIT - 1)
    answer = ApiClient(None).post("/auth/token", {"username": "bientap.so-a", "password": "pw-bientap.so-a"})
    assert answer.status_code == 429
    assert answer.json()["code"] == "locked_out" and "tạm khóa" in answer.json()["message"]


def test_per_token_rate_limit(users, settings):
    from dti.api.api import api

    throttle = api.throttle[0]
    old = (throttle.num_requests, throttle.duration)
    throttle.num_requests, throttle.duration = 3, 60
    try:
        client = ApiClient(create_personal_token(users["reporter"], name="x")[1])
        codes = [client.get("/campaigns").status_code for _ in range(4)]
    finally:
        throttle.num_requests, throttle.duration = old
    assert codes == [200, 200, 200, 429]


def test_malformed_json_answers_400_json(users):
    _token, secret = create_personal_token(users["reporter"], name="x", write=True)
    answer = Client().post("/api/frameworks/validate", "{not json", content_type="application/json",
                           headers={"Authorization": f"Bearer {secret}"})
    assert answer.status_code in (400, 422)
    assert answer.json()["code"] in ("bad_request", "invalid")


def test_web_page_shows_new_token_once_and_revokes(users):
    web = Client()
    web.force_login(users["reporter"])
    page = web.post("/accounts/tokens/", {"kind": "personal", "p-name": "Excel", "p-write": "on"})
    secret = page.context["secret"]
    assert secret.startswith("dti_") and secret in page.content.decode()
    again = web.get("/accounts/tokens/")
    assert secret not in again.content.decode() and secret[:12] in again.content.decode()
    token = ApiToken.objects.get(user=users["reporter"])
    assert token.write and token.name == "Excel"
    web.post(f"/accounts/tokens/{token.pk}/revoke/")
    assert ApiClient(secret).get("/campaigns").status_code == 401


def test_cannot_revoke_somebody_elses_token(users):
    token, secret = create_personal_token(users["reporter_b"], name="x")
    web = Client()
    web.force_login(users["reporter"])
    assert web.post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 404
    assert ApiClient(secret).get("/campaigns").status_code == 200


def test_only_admins_create_service_tokens_in_the_web(users, units):
    web = Client()
    web.force_login(users["reporter"])
    web.post("/accounts/tokens/", {"kind": "service", "s-platform": "Hue-S", "s-fields": "2.1.a", "s-units": "so-a"})
    assert not ApiToken.objects.filter(kind="service").exists()
    web.force_login(users["assessment_admin"])
    page = web.post("/accounts/tokens/", {"kind": "service", "s-platform": "Hue-S", "s-fields": "2.1.a",
                                          "s-units": "so-a, so-b"})
    token = ApiToken.objects.get(kind="service")
    assert page.context["secret"] and token.fields == ["2.1.a"]
    assert sorted(token.units.values_list("code", flat=True)) == ["so-a", "so-b"]


def test_errors_django_answers_before_the_api_are_json_too(users):
    api = ApiClient(create_personal_token(users["reporter"], name="x", write=True)[1])
    wrong_method = api.client.delete("/api/campaigns", headers=api.headers)
    assert wrong_method.status_code == 405 and wrong_method.json()["code"] == "method_not_allowed"
    unknown = api.get("/khong-co-dia-chi-nay")
    assert unknown.status_code == 404 and unknown.json()["code"] == "not_found"
    too_big = api.put("/campaigns/1/units/so-a/values", {"notes": {"1.2": {"text": "x" * 3_000_000}}})
    assert too_big.status_code == 400 and too_big.json()["code"] == "bad_request"
