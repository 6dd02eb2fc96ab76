"""Managing people: create, grant and remove roles, deactivate, reset passwords, import from a file.

Every function takes the acting person's ``Access`` and checks, inside its transaction, that
what it touches lies within the units that person administers (views check first to answer
404; the check here holds for any other caller).  Every change is audited.

Passwords are never chosen by an administrator: a new person, and a person whose password is
reset, gets a set-password link (Django's password-reset token).  The link works once (the
token is derived from the password hash, which changes when it is used), expires after
``PASSWORD_RESET_TIMEOUT``, and the administrator never knows the password, so the trail's
"who did it" keeps meaning the person.  A reset also makes the old password unusable at once
(a compromised account is closed before the link is used).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from dti.audit.services import record
from dti.organisations.models import Unit
from dti.site.text import normalise, text_error

from .models import Role, RoleAssignment
from .selectors import ROLES_WITHOUT_UNIT, Access, grantable_roles, manageable_units, person_or_none

USERNAME = re.compile(r"^[A-Za-z0-9._@+-]{3,150}$")
NAME_MAX = 150


def _person_in_scope(access: Access, person) -> None:
    if person_or_none(access, person.pk) is None:
        raise ValidationError(_("Người này không thuộc phạm vi bạn quản lý."))


def _check_grant(access: Access, role: str, unit: Unit | None) -> None:
    if role not in dict(grantable_roles(access)):
        raise ValidationError({"role": _("Bạn không được cấp vai trò này.")})
    if unit is None:
        if role not in ROLES_WITHOUT_UNIT:
            raise ValidationError({"unit": _("Vai trò này cần một đơn vị.")})
        if not access.is_global_admin:
            raise ValidationError({"unit": _("Chọn một đơn vị: bạn chỉ cấp quyền trong các đơn vị mình quản lý.")})
    elif not manageable_units(access).filter(pk=unit.pk).exists():
        raise ValidationError({"unit": _("Đơn vị này không thuộc phạm vi bạn quản lý.")})


def _scope_text(grant: RoleAssignment) -> str:
    if grant.unit is None:
        return _("mọi đơn vị")
    text = grant.unit.name
    if grant.include_subtree:
        text += " " + _("(gồm các đơn vị trực thuộc)")
    return text


def check_person_fields(*, full_name: str, email: str, username: str | None = None) -> dict[str, str]:
    """Normalised fields, or ValidationError keyed by field with Vietnamese messages."""
    errors: dict[str, str] = {}
    cleaned: dict[str, str] = {}
    for key, value, limit in (("full_name", full_name, NAME_MAX), ("email", email, 254),
                              ("username", username, 150)):
        if value is None:
            continue
        text = normalise(value)
        problem = text_error(text, max_length=limit, multiline=False)
        if problem:
            errors[key] = problem
        cleaned[key] = text
    if "full_name" in cleaned and not cleaned["full_name"] and "full_name" not in errors:
        errors["full_name"] = _("Cần ghi họ và tên.")
    if cleaned.get("email") and "email" not in errors:
        try:
            validate_email(cleaned["email"])
        except ValidationError:
            errors["email"] = _("Địa chỉ thư điện tử không hợp lệ.")
    if "username" in cleaned and "username" not in errors:
        login = cleaned["username"]
        if not USERNAME.match(login):
            errors["username"] = _("Tên đăng nhập gồm 3–150 ký tự: chữ không dấu, số và . _ @ + -")
        elif get_user_model().objects.filter(username__iexact=login).exists():
            errors["username"] = _("Tên đăng nhập “%(login)s” đã có người dùng.") % {"login": login}
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def create_person(access: Access, *, full_name: str, email: str, username: str, role: str, unit: Unit | None,
                  include_subtree: bool = False, campaign=None):
    """A new account with its first role; no password until the person sets one through their link."""
    cleaned = check_person_fields(full_name=full_name, email=email, username=username)
    _check_grant(access, role, unit)
    person = get_user_model()(username=cleaned["username"], first_name=cleaned["full_name"], email=cleaned["email"])
    person.set_unusable_password()
    person.save()
    record(access.user, "account.create", person, field="username", new=f"{person.username} · {person.first_name}")
    _grant(access, person, role, unit, include_subtree, campaign)
    return person


@transaction.atomic
def update_person(access: Access, person, *, full_name: str, email: str):
    _person_in_scope(access, person)
    cleaned = check_person_fields(full_name=full_name, email=email)
    for attr, key, label in (("first_name", "full_name", "full_name"), ("email", "email", "email")):
        old = getattr(person, attr)
        if old != cleaned[key]:
            setattr(person, attr, cleaned[key])
            record(access.user, "account.update", person, field=label, old=old, new=cleaned[key])
    person.save(update_fields=["first_name", "email"])
    return person


def _grant(access: Access, person, role: str, unit: Unit | None, include_subtree: bool, campaign) -> RoleAssignment:
    if role != Role.REVIEWER:
        campaign = None
    if RoleAssignment.objects.filter(user=person, role=role, unit=unit, campaign=campaign,
                                     include_subtree=include_subtree).exists():
        raise ValidationError({"role": _("Người này đã có vai trò đó ở đơn vị đó.")})
    grant = RoleAssignment.objects.create(user=person, role=role, unit=unit, include_subtree=include_subtree,
                                          campaign=campaign)
    record(access.user, "account.role.add", grant, field="role", new=f"{grant.get_role_display()} · {_scope_text(grant)}",
           unit_code=unit.code if unit else "", campaign_id=campaign.pk if campaign else None)
    return grant


@transaction.atomic
def grant_role(access: Access, person, *, role: str, unit: Unit | None, include_subtree: bool = False,
               campaign=None) -> RoleAssignment:
    _person_in_scope(access, person)
    _check_grant(access, role, unit)
    return _grant(access, person, role, unit, include_subtree, campaign)


@transaction.atomic
def remove_role(access: Access, person, grant_id: int) -> None:
    _person_in_scope(access, person)
    grant = RoleAssignment.objects.select_for_update().filter(pk=grant_id, user=person).first()
    if grant is None:
        return  # already removed (a second click, another administrator): nothing to do
    if person.pk == access.user.pk and grant.role in (Role.SYSTEM_ADMIN, Role.ASSESSMENT_ADMIN):
        raise ValidationError(_("Bạn không thể tự bỏ quyền quản trị của mình; hãy nhờ một quản trị viên khác."))
    if RoleAssignment.objects.filter(user=person).count() == 1:
        raise ValidationError(_("Đây là vai trò cuối cùng của người này: hãy khóa tài khoản thay vì bỏ vai trò."))
    text = f"{grant.get_role_display()} · {_scope_text(grant)}"
    record(access.user, "account.role.remove", grant, field="role", old=text,
           unit_code=grant.unit.code if grant.unit else "", campaign_id=grant.campaign_id)
    grant.delete()


@transaction.atomic
def set_active(access: Access, person, active: bool) -> bool:
    """Deactivate (the person can no longer sign in; open sessions end) or reactivate; False when nothing changed."""
    _person_in_scope(access, person)
    if not active and person.pk == access.user.pk:
        raise ValidationError(_("Bạn không thể tự khóa tài khoản của mình."))
    locked = get_user_model().objects.select_for_update().get(pk=person.pk)
    if locked.is_active == active:
        return False
    locked.is_active = person.is_active = active
    locked.save(update_fields=["is_active"])
    record(access.user, "account.activate" if active else "account.deactivate", locked, field="is_active",
           old=_("đang hoạt động") if not active else _("đã khóa"), new=_("đang hoạt động") if active else _("đã khóa"))
    # Open sessions end on their next request (Django's backend refuses an inactive user), API tokens likewise.
    return True


def set_password_link(person) -> str:
    """The path of the one-time set-password page for ``person`` (valid until used or expired)."""
    uid = urlsafe_base64_encode(force_bytes(person.pk))
    return reverse("accounts:password_set", args=[uid, default_token_generator.make_token(person)])


@transaction.atomic
def reset_password(access: Access, person) -> str:
    """The old password stops working now; the person sets a new one through the returned link."""
    _person_in_scope(access, person)
    if not person.is_active:
        raise ValidationError(_("Tài khoản đang bị khóa: mở khóa trước khi đặt lại mật khẩu."))
    person.set_unusable_password()
    person.save(update_fields=["password"])
    record(access.user, "account.password_reset", person, field="password")
    return set_password_link(person)


# --------------------------------------------------------------------------- import from a file

HEADERS = {
    "full_name": {"ho_ten", "họ tên", "họ và tên", "ho_va_ten", "full_name", "name", "ten", "tên"},
    "email": {"email", "e-mail", "thu_dien_tu", "thư điện tử"},
    "username": {"ten_dang_nhap", "tên đăng nhập", "username", "login", "tai_khoan", "tài khoản"},
    "role": {"vai_tro", "vai trò", "role"},
    "unit": {"ma_don_vi", "mã đơn vị", "don_vi", "đơn vị", "unit"},
}
HEADER_NAMES = {"full_name": "ho_ten", "email": "email", "username": "ten_dang_nhap", "role": "vai_tro",
                "unit": "ma_don_vi"}


@dataclass
class PersonRow:
    row: int
    username: str
    full_name: str
    email: str
    role: str
    role_label: str
    unit_code: str
    unit_name: str
    new_person: bool
    new_role: bool


@dataclass
class PeoplePlan:
    """What an import would do; nothing is written while this is a preview."""

    rows: list[PersonRow] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def added(self) -> list[PersonRow]:
        return [r for r in self.rows if r.new_person]

    @property
    def granted(self) -> list[PersonRow]:
        return [r for r in self.rows if r.new_role and not r.new_person]

    @property
    def unchanged(self) -> list[PersonRow]:
        return [r for r in self.rows if not r.new_role and not r.new_person]

    @property
    def digest(self) -> str:
        what = [(r.username, r.full_name, r.email, r.role, r.unit_code, r.new_person, r.new_role)
                for r in self.rows if r.new_person or r.new_role]
        return hashlib.sha256(repr(what).encode("utf-8")).hexdigest()


def _role_by_word(word: str) -> str | None:
    """A role from its code or its name in Vietnamese or English ("reporter", "Cán bộ nhập liệu")."""
    word = word.strip().lower()
    for role in Role:
        names = {role.value}
        for language in ("vi", "en"):
            with translation.override(language):
                names.add(str(role.label).lower())
        if word in names:
            return role.value
    return None


def plan_people_import(access: Access, content: bytes, filename: str) -> PeoplePlan:
    """Check every row against the file and the database; each row adds a person (with a role) or a role."""
    from dti.organisations.services import read_rows

    plan = PeoplePlan()
    try:
        rows = read_rows(content, filename)
    except ValidationError as exc:
        plan.errors.append((0, exc.messages[0]))
        return plan
    rows = [r for r in rows if any(c.strip() for c in r)]
    if len(rows) < 2:
        plan.errors.append((0, _("Tệp không có dữ liệu")))
        return plan
    columns: dict[str, int] = {}
    for index, cell in enumerate(rows[0]):
        word = normalise(cell).lower()
        for key, names in HEADERS.items():
            if word in names and key not in columns:
                columns[key] = index
    missing = [HEADER_NAMES[k] for k in HEADERS if k not in columns]
    if missing:
        plan.errors.append((1, _("Thiếu cột: %(cols)s (cần ho_ten, email, ten_dang_nhap, vai_tro, ma_don_vi)")
                            % {"cols": ", ".join(missing)}))
        return plan
    User = get_user_model()
    units = {u.code: u for u in manageable_units(access)}
    allowed = dict(grantable_roles(access))
    seen: dict[str, tuple[int, str, str]] = {}
    seen_grants: set[tuple[str, str, str]] = set()
    for number, row in enumerate(rows[1:], start=2):
        item = {k: normalise(row[i]) if i < len(row) else "" for k, i in columns.items()}
        errors: list[str] = []
        for key, value in item.items():
            problem = text_error(value, max_length=254 if key == "email" else NAME_MAX, multiline=False)
            if problem:
                errors.append(f"{HEADER_NAMES[key]}: {problem}")
        login = item["username"]
        existing = User.objects.filter(username__iexact=login).first() if login else None
        if not login:
            errors.append(_("thiếu tên đăng nhập"))
        elif existing is None:
            try:
                check_person_fields(full_name=item["full_name"], email=item["email"], username=login)
            except ValidationError as exc:
                errors.extend(m for messages in exc.message_dict.values() for m in messages)
        elif person_or_none(access, existing.pk) is None:
            errors.append(_("tài khoản “%(login)s” đã có và không thuộc phạm vi bạn quản lý") % {"login": login})
        if login and login.lower() in seen:
            first, name, email = seen[login.lower()]
            if (name, email) != (item["full_name"], item["email"]):
                errors.append(_("tài khoản “%(login)s” đã có ở dòng %(row)d với họ tên hoặc thư khác")
                              % {"login": login, "row": first})
        role = _role_by_word(item["role"]) if item["role"] else None
        if role is None:
            errors.append(_("vai trò “%(role)s” không có (các vai trò: %(roles)s)")
                          % {"role": item["role"], "roles": ", ".join(allowed)})
        elif role not in allowed:
            errors.append(_("bạn không được cấp vai trò “%(role)s”") % {"role": item["role"]})
        unit = units.get(item["unit"])
        if not item["unit"]:
            errors.append(_("thiếu mã đơn vị"))
        elif unit is None:
            errors.append(_("đơn vị “%(code)s” không có hoặc không thuộc phạm vi bạn quản lý") % {"code": item["unit"]})
        if errors:
            plan.errors.extend((number, m) for m in errors)
            continue
        assert role is not None and unit is not None
        new_person = existing is None and login.lower() not in seen
        seen.setdefault(login.lower(), (number, item["full_name"], item["email"]))
        grant_key = (login.lower(), role, unit.code)
        new_role = grant_key not in seen_grants and not (existing is not None and RoleAssignment.objects.filter(
            user=existing, role=role, unit=unit, campaign=None).exists())
        seen_grants.add(grant_key)
        plan.rows.append(PersonRow(number, existing.username if existing else login,
                                   existing.first_name if existing else item["full_name"],
                                   existing.email if existing else item["email"], role, str(Role(role).label),
                                   unit.code, unit.name, new_person, new_role))
    return plan


@dataclass
class ImportedPerson:
    username: str
    full_name: str
    link: str


@transaction.atomic
def apply_people_import(access: Access, content: bytes, filename: str, *,
                        expected_digest: str | None = None) -> tuple[PeoplePlan, list[ImportedPerson]]:
    """All or nothing: any error, or a plan that differs from the previewed one, and nothing is saved."""
    plan = plan_people_import(access, content, filename)
    if plan.ok and expected_digest is not None and plan.digest != expected_digest:
        plan.errors.append((0, _("Danh sách người dùng đã thay đổi từ lúc xem trước; chưa lưu gì. Hãy xem lại bản "
                                 "xem trước mới rồi xác nhận.")))
    if not plan.ok:
        return plan, []
    created: list[ImportedPerson] = []
    people: dict[str, object] = {}
    units = {u.code: u for u in manageable_units(access)}
    for row in plan.rows:
        key = row.username.lower()
        try:
            if row.new_person:
                person = create_person(access, full_name=row.full_name, email=row.email, username=row.username,
                                       role=row.role, unit=units[row.unit_code])
                people[key] = person
                created.append(ImportedPerson(person.username, person.first_name, ""))
            elif row.new_role:
                person = people.get(key) or get_user_model().objects.get(username__iexact=row.username)
                grant_role(access, person, role=row.role, unit=units[row.unit_code])
        except ValidationError as exc:  # somebody got there first in between: nothing of the file is kept
            transaction.set_rollback(True)
            plan.errors.append((row.row, "; ".join(exc.messages)))
            return plan, []
    record(access.user, "account.import", None, new=_("%(a)d người mới, %(g)d vai trò mới, %(u)d giữ nguyên")
           % {"a": len(plan.added), "g": len(plan.granted), "u": len(plan.unchanged)}, reason=filename[:200])
    for item in created:
        item.link = set_password_link(people[item.username.lower()])
    return plan, created
