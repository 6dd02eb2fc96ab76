"""Sign-in: throttling and lockout (django-axes), password validators, changing one's own password."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from dti.audit.models import AuditEvent

LOGIN = reverse("accounts:login")
CHANGE = reverse("accounts:password_change")


def sign_in(client, username, password):
    return client.post(LOGIN, {"username": username, "password": password})


def signed_in(client):
    return client.get(reverse("dashboard")).status_code == 200


def test_right_password_signs_in(client, make_user):
    make_user("bientap")
    assert sign_in(client, "bientap", "pw-bientap").status_code == 302 and signed_in(client)


def test_after_five_wrong_passwords_the_right_one_is_refused_with_a_vietnamese_page(client, make_user, settings):
    make_user("bientap")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, "bientap", "sai").status_code == 200
    locked = sign_in(client, "bientap", "sai")
    assert locked.status_code == 429
    html = locked.content.decode()
    assert "Tạm khóa đăng nhập" in html and "sai mật khẩu 5 lần" in html and "thử lại sau 15 phút" in html
    response = sign_in(client, "bientap", "pw-bientap")
    assert response.status_code == 429 and not signed_in(client)


def test_fifty_wrong_passwords_never_let_the_right_one_through(client, make_user):
    make_user("bientap")
    for _ in range(50):
        sign_in(client, "bientap", "sai")
    assert sign_in(client, "bientap", "pw-bientap").status_code == 429 and not signed_in(client)


def test_lockout_is_per_account(client, make_user, settings):
    make_user("bientap")
    make_user("lanhdao")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "bientap", "sai")
    assert sign_in(client, "lanhdao", "pw-lanhdao").status_code == 302 and signed_in(client)


def test_a_successful_sign_in_resets_the_count(client, make_user, settings):
    make_user("bientap")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "bientap", "sai")
    assert sign_in(client, "bientap", "pw-bientap").status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "bientap", "sai")
    assert sign_in(client, "bientap", "pw-bientap").status_code == 302 and signed_in(client)


def test_admin_site_sign_in_is_throttled_too(client, make_user, settings):
    get_user_model().objects.create_superuser("root", password="pw-root-123")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("admin:login"), {"username": "root", "password": "sai"})
    response = client.post(reverse("admin:login"), {"username": "root", "password": "pw-root-123"})
    assert response.status_code == 429


@pytest.mark.parametrize("password, message", [
    ("12345678", "Mật khẩu này quá phổ biến."),
    ("73915046285", "Mật khẩu này hoàn toàn là số."),
    ("ngan7", "Mật khẩu quá ngắn: cần ít nhất 8 ký tự."),
])
def test_standard_password_validators_refuse_weak_passwords(db, password, message):
    with pytest.raises(ValidationError) as error:
        validate_password(password)
    assert any(m.startswith(message) for m in error.value.messages)


def change(client, old, new, again=None):
    return client.post(CHANGE, {"old_password": old, "new_password1": new, "new_password2": new if again is None else again})


def test_person_changes_own_password(client, make_user):
    user = make_user("bientap")
    client.force_login(user)
    response = change(client, "pw-bientap", "Tre-xanh-mua-thu-2026")
    assert response.status_code == 302
    assert signed_in(client)  # this session stays
    user.refresh_from_db()
    assert user.check_password("Tre-xanh-mua-thu-2026")
    assert AuditEvent.objects.filter(action="account.password_change", username="bientap").count() == 1
    client.logout()
    assert sign_in(client, "bientap", "Tre-xanh-mua-thu-2026").status_code == 302


def test_password_change_refuses_12345678_beside_the_field(client, make_user):
    user = make_user("bientap")
    client.force_login(user)
    response = change(client, "pw-bientap", "12345678")
    html = response.content.decode()
    assert response.status_code == 200 and "Mật khẩu này quá phổ biến." in html
    user.refresh_from_db()
    assert user.check_password("pw-bientap")


def test_password_change_wrong_old_password(client, make_user):
    client.force_login(make_user("bientap"))
    html = change(client, "sai", "Tre-xanh-mua-thu-2026").content.decode()
    assert "Mật khẩu cũ không chính xác" in html


@pytest.mark.parametrize("new, message", [
    ("Tre-xanh\x00-2026", "ký tự rỗng (NUL)"),
    ("Tre-xanh\x07-2026", "ký tự điều khiển"),
    ("T" * 129, "vượt quá giới hạn 128 ký tự"),
])
def test_password_change_bad_text_gets_a_vietnamese_message(client, make_user, new, message):
    user = make_user("bientap")
    client.force_login(user)
    response = change(client, "pw-bientap", new)
    assert response.status_code == 200 and message in response.content.decode()
    user.refresh_from_db()
    assert user.check_password("pw-bientap")


def test_password_change_needs_sign_in(client, db):
    response = client.get(CHANGE)
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)


def test_user_menu_links_to_password_change(client, make_user):
    client.force_login(make_user("bientap"))
    html = client.get(reverse("dashboard")).content.decode()
    assert f'href="{CHANGE}"' in html and "Đổi mật khẩu" in html
    assert "Đổi mật khẩu" in client.get(CHANGE).content.decode()


def test_changing_the_password_ends_the_other_sessions(client, make_user):
    from django.test import Client

    user = make_user("bientap")
    elsewhere = Client()
    elsewhere.force_login(user)
    assert signed_in(elsewhere)
    client.force_login(user)
    assert change(client, "pw-bientap", "Tre-xanh-mua-thu-2026").status_code == 302
    assert signed_in(client) and not signed_in(elsewhere)
