"""In a real browser: the audit trail's filters and export, and an administrator managing people."""

from __future__ import annotations

import io

import pytest

from .helpers import accept, new_page, sign_in, signed_in_page

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_audit_trail_filters_and_export(live_server, cycle_world, browser):
    from django.contrib.auth import get_user_model
    from openpyxl import load_workbook

    from dti.submissions.models import Submission
    from dti.submissions.services import save_entry

    User = get_user_model()
    reporter, leader = User.objects.get(username="bientap.so-a"), User.objects.get(username="lanhdao.so-a")
    User.objects.filter(pk=reporter.pk).update(first_name="Nguyễn Văn A")
    User.objects.filter(pk=leader.pk).update(first_name="Trần Thị B")
    submission = Submission.objects.get(campaign=cycle_world, unit__code="so-a")
    save_entry(submission, user=reporter, values={"1.2.a": "7", "1.1.truong_ban": "giam_doc"})
    save_entry(submission, user=leader, values={"1.2.a": "5"})

    page = signed_in_page(browser, live_server.url, "bientap.so-a", on_dialog=accept)
    page.goto(f"{live_server.url}/campaigns/{cycle_world.pk}/units/so-a/audit/")
    lines = page.locator(".trail-lines li")
    assert lines.count() == 3
    assert "Trần Thị B đổi Số cuộc họp có Giám đốc chủ trì (a) của chỉ số 1.2 từ 7 thành 5" in lines.first.inner_text()
    assert "Giám đốc" in page.locator(".trail-lines").inner_text() and "giam_doc" not in page.content()

    page.select_option("#f-person", label="Nguyễn Văn A")
    page.select_option("#f-indicator", "1.2")
    page.get_by_role("button", name="Lọc").click()
    page.wait_for_url("**person=*")
    assert lines.count() == 1 and "Nguyễn Văn A nhập" in lines.first.inner_text()

    with page.expect_download() as download:
        page.click("#trail-export")
    sheet = load_workbook(io.BytesIO(open(download.value.path(), "rb").read())).active
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert [(r[1], r[3]) for r in rows] == [("Nguyễn Văn A", "1.2")]

    page.fill("#f-from", "2001-01-01")
    page.fill("#f-to", "2001-01-31")
    page.get_by_role("button", name="Lọc").click()
    page.get_by_text("Chưa có thay đổi nào.").wait_for()
    page.context.close()


def test_admin_creates_a_person_who_sets_a_password_then_is_deactivated(live_server, cycle_world, browser):
    from dti.accounts.models import RoleAssignment
    from dti.organisations.models import Unit

    # An administrator of the province only (the fixture's "quantri" administers every unit).
    admin = RoleAssignment.objects.get(user__username="quantri")
    admin.unit = Unit.objects.get(code="tn")
    admin.save()
    base = live_server.url
    page = signed_in_page(browser, base, "quantri", on_dialog=accept)
    page.get_by_role("link", name="Người dùng").click()
    page.get_by_role("link", name="Thêm người dùng").click()
    page.fill("#id_p-full_name", "Lê Văn C")
    page.fill("#id_p-email", "levanc@example.vn")
    page.fill("#id_p-username", "levanc")
    page.select_option("#id_r-role", "reporter")
    page.select_option("#id_r-unit", label="Sở Bêta (so-b)")
    page.get_by_role("button", name="Lưu").click()
    link = page.input_value("#set-password-link")
    assert "/accounts/password/set/" in link

    # A second role, then removed after the confirmation page.
    page.get_by_role("link", name="Xong").click()
    page.locator("#add-role summary").click()
    page.select_option("#id_r-role", "viewer")
    page.select_option("#id_r-unit", label="Sở Alpha (so-a)")
    page.get_by_role("button", name="Cấp vai trò").click()
    page.get_by_text("Đã cấp vai trò.").wait_for()
    assert page.locator("#grants tbody tr").count() == 2
    page.locator("#grants tbody tr", has_text="Người xem").get_by_role("link", name="Bỏ").click()
    page.get_by_role("heading", name="Bỏ vai trò?").wait_for()
    page.get_by_role("button", name="Bỏ vai trò").click()
    page.get_by_text("Đã bỏ vai trò").wait_for()
    assert page.locator("#grants tbody tr").count() == 1

    # The new person sets a password through the link and signs in.
    other = new_page(browser, timeout=None)
    other.goto(link)
    other.fill("#id_new_password1", "Mot-mat-khau-dai-2026")
    other.fill("#id_new_password2", "Mot-mat-khau-dai-2026")
    other.get_by_role("button", name="Đặt mật khẩu").click()
    other.get_by_role("heading", name="Đã đặt mật khẩu").wait_for()
    sign_in(other, base, "levanc", "Mot-mat-khau-dai-2026")
    assert "Lê Văn C" in other.locator(".who").inner_text()

    # Deactivated after the confirmation page: the person's session ends.
    page.get_by_role("link", name="Khóa tài khoản").click()
    page.get_by_role("heading", name="Khóa tài khoản?").wait_for()
    page.get_by_role("button", name="Khóa tài khoản").click()
    page.get_by_text("Đã khóa tài khoản levanc.").wait_for()
    other.goto(f"{base}/")
    assert "/accounts/login/" in other.url
    other.context.close()

    # Someone outside the province answers 404.
    outsider = Unit.objects.create(code="tk", name="UBND tỉnh Khác", level_id="tinh", path="/tk/")
    stranger = RoleAssignment.objects.create(user=RoleAssignment.objects.get(user__username="thamdinh").user,
                                             role="viewer", unit=outsider).user
    response = page.goto(f"{base}/accounts/people/{stranger.pk}/")
    assert response is not None and response.status == 404
    page.context.close()
