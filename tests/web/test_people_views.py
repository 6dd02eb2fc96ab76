"""The people pages (dti/accounts/people_views.py): 403 for non-administrators, 404 outside one's units,
a confirmation before every irreversible step."""

import pytest
from django.urls import reverse

from dti.accounts.models import RoleAssignment
from dti.audit.models import AuditEvent

from .people_fixtures import *  # noqa: F403  (fixtures: provinces, admins, people)


@pytest.mark.parametrize("name", ["accounts:people", "accounts:person_create", "accounts:people_import",
                                  "accounts:people_import_sample"])
def test_reporter_cannot_reach_the_pages(client, users, name):
    client.force_login(users["reporter"])
    assert client.get(reverse(name)).status_code == 403


def test_reporter_cannot_open_a_person(client, users, people):
    client.force_login(users["reporter"])
    assert client.get(reverse("accounts:person", args=[people["a"].pk])).status_code == 403


@pytest.mark.parametrize("name", ["accounts:person", "accounts:person_deactivate", "accounts:person_password"])
def test_admin_of_another_province_gets_404(client, admins, people, name):
    client.force_login(admins["tk"])
    assert client.get(reverse(name, args=[people["a"].pk])).status_code == 404
    assert client.post(reverse(name, args=[people["a"].pk])).status_code == 404
    people["a"].refresh_from_db()
    assert people["a"].is_active and people["a"].has_usable_password()


def test_admin_cannot_remove_a_role_of_a_person_in_two_provinces(client, admins, people):
    client.force_login(admins["tn"])
    grant = people["both"].roles.first()
    assert client.post(reverse("accounts:role_remove", args=[people["both"].pk, grant.pk])).status_code == 404
    assert RoleAssignment.objects.filter(pk=grant.pk).exists()


def test_list_shows_full_names_and_roles_of_own_province_only(client, admins, people):
    people["a"].first_name = "Nguyễn Văn A"
    people["a"].save()
    client.force_login(admins["tn"])
    html = client.get(reverse("accounts:people")).content.decode()
    assert "Nguyễn Văn A" in html and "Cán bộ nhập liệu · Sở Alpha" in html
    assert "bientap.x" not in html and "hai.noi" not in html


def test_list_is_in_vietnamese_alphabetical_order(client, admins, people):
    """Đ comes after D and before E (a byte order puts it after Z)."""
    for key, name in (("a", "Vũ Thị Hoa"), ("x", "Đỗ Văn Minh"), ("both", "Dương An")):
        people[key].first_name = name
        people[key].save()
    client.force_login(admins["global"])
    html = client.get(reverse("accounts:people")).content.decode()
    assert html.index("Dương An") < html.index("Đỗ Văn Minh") < html.index("Vũ Thị Hoa")


def test_list_filters_and_bad_query(client, admins, people):
    client.force_login(admins["global"])
    html = client.get(reverse("accounts:people"), {"unit": "so-x", "role": "reporter"}).content.decode()
    assert "bientap.x" in html and "bientap.a" not in html
    response = client.get(reverse("accounts:people"), {"q": "a\x00"})
    assert response.status_code == 200 and "ký tự rỗng (NUL)" in response.content.decode()


def test_create_shows_the_set_password_link_once(client, admins, provinces):
    client.force_login(admins["tn"])
    response = client.post(reverse("accounts:person_create"), {
        "p-full_name": "Trần Thị B", "p-email": "b@example.vn", "p-username": "tranthib",
        "r-role": "leader", "r-unit": provinces["so-b"].pk})
    html = response.content.decode()
    assert response.status_code == 200 and "/accounts/password/set/" in html
    assert RoleAssignment.objects.filter(user__username="tranthib", role="leader", unit=provinces["so-b"]).exists()


def test_create_outside_scope_keeps_what_was_typed(client, admins, provinces):
    client.force_login(admins["tn"])
    response = client.post(reverse("accounts:person_create"), {
        "p-full_name": "Trần Thị B", "p-email": "b@example.vn", "p-username": "tranthib",
        "r-role": "leader", "r-unit": provinces["so-x"].pk})
    html = response.content.decode()
    assert "Trần Thị B" in html and "tranthib" in html and 'class="error"' in html
    assert not RoleAssignment.objects.filter(user__username="tranthib").exists()


def test_grant_and_remove_a_role_with_confirmation(client, admins, provinces, people):
    client.force_login(admins["tn"])
    url = reverse("accounts:person", args=[people["a"].pk])
    client.post(url, {"form": "role", "r-role": "viewer", "r-unit": provinces["so-b"].pk})
    grant = RoleAssignment.objects.get(user=people["a"], role="viewer")
    remove = reverse("accounts:role_remove", args=[people["a"].pk, grant.pk])
    page = client.get(remove).content.decode()
    assert "Bỏ vai trò?" in page and RoleAssignment.objects.filter(pk=grant.pk).exists()
    client.post(remove)
    assert not RoleAssignment.objects.filter(pk=grant.pk).exists()
    assert AuditEvent.objects.filter(action="account.role.remove", user=admins["tn"]).exists()


def test_deactivate_asks_first_then_locks(client, admins, people):
    client.force_login(admins["tn"])
    url = reverse("accounts:person_deactivate", args=[people["a"].pk])
    assert "Khóa tài khoản?" in client.get(url).content.decode()
    people["a"].refresh_from_db()
    assert people["a"].is_active
    client.post(url)
    people["a"].refresh_from_db()
    assert not people["a"].is_active
    client.post(reverse("accounts:person_activate", args=[people["a"].pk]))
    people["a"].refresh_from_db()
    assert people["a"].is_active


def test_deactivated_person_is_signed_out(client, admins, people):
    from dti.accounts.selectors import Access
    from dti.accounts.services import set_active

    client.force_login(people["a"])
    set_active(Access(admins["tn"]), people["a"], False)
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_password_reset_asks_first_then_shows_a_link(client, admins, people):
    client.force_login(admins["tn"])
    url = reverse("accounts:person_password", args=[people["a"].pk])
    assert "Đặt lại mật khẩu?" in client.get(url).content.decode()
    html = client.post(url).content.decode()
    assert 'id="set-password-link"' in html and "/accounts/password/set/" in html
    assert AuditEvent.objects.filter(action="account.password_reset", object_id=str(people["a"].pk)).exists()


def test_nav_links_people_for_admins_only(client, admins, users):
    client.force_login(admins["tn"])
    assert reverse("accounts:people") in client.get(reverse("dashboard")).content.decode()
    client.force_login(users["reporter"])
    assert reverse("accounts:people") not in client.get(reverse("dashboard")).content.decode()
