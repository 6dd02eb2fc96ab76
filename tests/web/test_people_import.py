"""Importing people from XLSX: a preview, then all or nothing, within the administrator's units."""

import io

from django.contrib.auth import get_user_model
from django.urls import reverse

from dti.accounts.models import RoleAssignment
from dti.accounts.selectors import Access
from dti.accounts.services import apply_people_import, plan_people_import
from dti.audit.models import AuditEvent

from .people_fixtures import *  # noqa: F403  (fixtures: provinces, admins, people)

HEADER = ["ho_ten", "email", "ten_dang_nhap", "vai_tro", "ma_don_vi"]


def xlsx(*rows):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in (HEADER, *rows):
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_preview_sorts_rows_and_saves_nothing(admins, people):
    content = xlsx(["Nguyễn Văn C", "c@example.vn", "nguyenvanc", "Cán bộ nhập liệu", "so-a"],
                   ["Nguyễn Văn C", "c@example.vn", "nguyenvanc", "leader", "so-a"],
                   ["", "", "bientap.a", "viewer", "so-b"],
                   ["", "", "bientap.a", "reporter", "so-a"])
    plan = plan_people_import(Access(admins["tn"]), content, "ds.xlsx")
    assert plan.ok, plan.errors
    assert [r.username for r in plan.added] == ["nguyenvanc"]
    assert len(plan.granted) == 2 and len(plan.unchanged) == 1
    assert not get_user_model().objects.filter(username="nguyenvanc").exists()


def test_rows_outside_scope_or_wrong_are_errors_with_row_numbers(admins, people):
    content = xlsx(["X", "x@example.vn", "nguoi.x", "reporter", "so-x"],
                   ["Y", "khong-phai-thu", "nguoi.y", "reporter", "so-a"],
                   ["Z", "", "nguoi.z", "thu_ky", "so-a"],
                   ["", "", "bientap.x", "viewer", "so-a"],
                   ["W", "", "nguoi.w", "system_admin", "so-a"])
    plan = plan_people_import(Access(admins["tn"]), content, "ds.xlsx")
    rows = {row for row, _m in plan.errors}
    assert rows == {2, 3, 4, 5, 6}


def test_apply_is_all_or_nothing(admins, people):
    content = xlsx(["Nguyễn Văn C", "c@example.vn", "nguyenvanc", "reporter", "so-a"],
                   ["X", "", "nguoi.x", "reporter", "so-x"])
    plan, created = apply_people_import(Access(admins["tn"]), content, "ds.xlsx")
    assert not plan.ok and created == []
    assert not get_user_model().objects.filter(username="nguyenvanc").exists()


def test_confirmed_import_refused_when_things_changed_since_the_preview(admins, people, provinces):
    content = xlsx(["Nguyễn Văn C", "", "nguyenvanc", "reporter", "so-a"], ["", "", "bientap.a", "viewer", "so-b"])
    access = Access(admins["tn"])
    digest = plan_people_import(access, content, "ds.xlsx").digest
    RoleAssignment.objects.create(user=people["a"], role="viewer", unit=provinces["so-b"])  # another admin, meanwhile
    plan, created = apply_people_import(access, content, "ds.xlsx", expected_digest=digest)
    assert not plan.ok and created == []
    assert "đã thay đổi từ lúc xem trước" in plan.errors[0][1]
    assert not get_user_model().objects.filter(username="nguyenvanc").exists()


def test_upload_preview_confirm_through_the_pages(client, admins, people):
    client.force_login(admins["tn"])
    url = reverse("accounts:people_import")
    upload = io.BytesIO(xlsx(["Nguyễn Văn C", "c@example.vn", "nguyenvanc", "reporter", "so-a"],
                             ["", "", "bientap.a", "leader", "so-a"]))
    upload.name = "ds.xlsx"
    html = client.post(url, {"file": upload}).content.decode()
    assert "1 người mới · 1 vai trò mới cho người đã có · 0 giữ nguyên · 0 lỗi" in html
    assert not get_user_model().objects.filter(username="nguyenvanc").exists()
    token = html.split('name="token" value="')[1].split('"')[0]
    done = client.post(url, {"token": token}).content.decode()
    assert "/accounts/password/set/" in done
    assert RoleAssignment.objects.filter(user__username="nguyenvanc", role="reporter").exists()
    assert RoleAssignment.objects.filter(user=people["a"], role="leader").exists()
    assert AuditEvent.objects.filter(action="account.import", user=admins["tn"]).exists()


def test_token_of_another_admin_is_refused(client, admins, people):
    client.force_login(admins["tn"])
    upload = io.BytesIO(xlsx(["Nguyễn Văn C", "", "nguyenvanc", "reporter", "so-a"]))
    upload.name = "ds.xlsx"
    html = client.post(reverse("accounts:people_import"), {"file": upload}).content.decode()
    token = html.split('name="token" value="')[1].split('"')[0]
    client.force_login(admins["global"])
    client.post(reverse("accounts:people_import"), {"token": token})
    assert not get_user_model().objects.filter(username="nguyenvanc").exists()


def test_sample_file_has_the_headers(client, admins):
    from openpyxl import load_workbook

    client.force_login(admins["tn"])
    response = client.get(reverse("accounts:people_import_sample"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[1]] == HEADER
    assert plan_people_import(Access(admins["tn"]), response.content, "mau.xlsx").ok
