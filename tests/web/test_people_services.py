"""dti/accounts/services.py: people management within the units an administrator manages."""

import pytest
from django.core.exceptions import ValidationError

from dti.accounts.models import RoleAssignment
from dti.accounts.selectors import Access, people_visible
from dti.accounts.services import create_person, grant_role, remove_role, reset_password, set_active
from dti.audit.models import AuditEvent

from .people_fixtures import *  # noqa: F403  (fixtures: provinces, admins, people)


def test_scoped_admin_sees_only_people_wholly_inside(admins, people):
    seen = set(people_visible(Access(admins["tn"])).values_list("username", flat=True))
    assert "bientap.a" in seen and "bientap.x" not in seen and "hai.noi" not in seen
    assert "quantri.all" not in seen  # a role over every unit is outside any province


def test_global_admin_sees_everybody_but_system_admins(admins, people, make_user):
    make_user("root", "system_admin")
    seen = set(people_visible(Access(admins["global"])).values_list("username", flat=True))
    assert {"bientap.a", "bientap.x", "hai.noi"} <= seen and "root" not in seen


def test_create_person_with_first_role_is_audited_and_has_no_password(admins, provinces):
    person = create_person(Access(admins["tn"]), full_name=" Nguyễn Văn A ", email="a@example.vn",
                           username="nguyenvana", role="reporter", unit=provinces["so-a"])
    assert person.first_name == "Nguyễn Văn A" and not person.has_usable_password()
    assert RoleAssignment.objects.filter(user=person, role="reporter", unit=provinces["so-a"]).exists()
    assert set(AuditEvent.objects.filter(object_id__in=[str(person.pk)], action__startswith="account.")
               .values_list("action", flat=True)) >= {"account.create"}
    assert AuditEvent.objects.filter(action="account.role.add", unit_code="so-a").exists()


def test_scoped_admin_cannot_grant_outside_or_system_admin(admins, provinces, people):
    access = Access(admins["tn"])
    with pytest.raises(ValidationError):
        grant_role(access, people["a"], role="reporter", unit=provinces["so-x"])
    with pytest.raises(ValidationError):
        grant_role(access, people["a"], role="system_admin", unit=None)
    with pytest.raises(ValidationError):
        grant_role(access, people["a"], role="reviewer", unit=None)  # every unit: not theirs to give
    with pytest.raises(ValidationError):
        create_person(access, full_name="X", email="", username="xx1", role="reporter", unit=provinces["so-x"])


def test_scoped_admin_cannot_touch_a_person_outside(admins, people):
    access = Access(admins["tn"])
    for step in (lambda: set_active(access, people["x"], False), lambda: reset_password(access, people["both"]),
                 lambda: remove_role(access, people["x"], people["x"].roles.first().pk)):
        with pytest.raises(ValidationError):
            step()
    people["x"].refresh_from_db()
    assert people["x"].is_active


def test_duplicate_login_and_bad_email_are_refused_beside_the_field(admins, provinces, people):
    with pytest.raises(ValidationError) as caught:
        create_person(Access(admins["tn"]), full_name="A", email="không-phải-thư", username="BIENTAP.A",
                      role="reporter", unit=provinces["so-a"])
    assert set(caught.value.message_dict) == {"email", "username"}


def test_remove_role_keeps_the_last_one(admins, provinces, people):
    access = Access(admins["tn"])
    extra = grant_role(access, people["a"], role="viewer", unit=provinces["so-b"])
    remove_role(access, people["a"], extra.pk)
    assert not RoleAssignment.objects.filter(pk=extra.pk).exists()
    assert AuditEvent.objects.filter(action="account.role.remove").exists()
    with pytest.raises(ValidationError):
        remove_role(access, people["a"], people["a"].roles.get().pk)


def test_admin_cannot_lock_themselves_out(admins, provinces):
    access = Access(admins["tn"])
    me = admins["tn"]
    with pytest.raises(ValidationError):
        set_active(access, me, False)
    grant_role(access, me, role="viewer", unit=provinces["so-a"])
    with pytest.raises(ValidationError):
        remove_role(access, me, me.roles.get(role="assessment_admin").pk)


def test_deactivate_then_reactivate_is_audited_once_each(admins, people):
    access = Access(admins["tn"])
    assert set_active(access, people["a"], False) is True
    assert set_active(access, people["a"], False) is False  # a second click changes nothing
    assert set_active(access, people["a"], True) is True
    assert list(AuditEvent.objects.filter(action__in=["account.deactivate", "account.activate"])
                .order_by("id").values_list("action", flat=True)) == ["account.deactivate", "account.activate"]


def test_reset_password_stops_the_old_one_and_gives_a_one_time_link(client, admins, people):
    link = reset_password(Access(admins["tn"]), people["a"])
    people["a"].refresh_from_db()
    assert not people["a"].has_usable_password()
    page = client.get(link, follow=True)
    assert b"new_password1" in page.content
    response = client.post(page.redirect_chain[-1][0], {"new_password1": "Mat-khau-moi-2026",
                                                        "new_password2": "Mat-khau-moi-2026"})
    assert response.status_code == 302
    people["a"].refresh_from_db()
    assert people["a"].check_password("Mat-khau-moi-2026")
    again = client.get(link, follow=True)
    assert "không còn dùng được" in again.content.decode()
