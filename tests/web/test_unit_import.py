import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from dti.audit.models import AuditEvent
from dti.organisations.models import Unit
from dti.organisations.services import PENDING_DIR, apply_import, import_units, plan_import

CSV = "ma,ten,cap,ma_cap_tren,nhom_xep_hang\nxa-1,UBND xã Một,xa,huyen-1,\nhuyen-1,UBND huyện Một,huyen,,Cấp huyện\n"


def xlsx(rows):
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_csv_import_creates_units_parents_first(db):
    report = import_units(CSV.encode(), "don-vi.csv")
    assert report.ok and report.created == 2
    commune = Unit.objects.get(code="xa-1")
    assert commune.parent.code == "huyen-1" and commune.path == "/huyen-1/xa-1/"
    assert Unit.objects.get(code="huyen-1").ranking_group == "Cấp huyện"


def test_xlsx_import(db):
    report = import_units(xlsx([["Mã", "Tên", "Cấp"], ["so-x", "Sở X", "so"], [123, "Sở số", "so"]]), "ds.xlsx")
    assert report.ok and report.created == 2
    assert Unit.objects.filter(code="123").exists()


def test_semicolon_csv_is_understood(db):
    report = import_units("ma;ten;cap\nso-y;Sở Y;so\n".encode(), "ds.csv")
    assert report.ok and report.created == 1


def test_row_errors_are_reported_in_vietnamese_and_nothing_saved(db):
    content = "ma,ten,cap,ma_cap_tren\nso-1,Sở Một,so,\nso 2,,sao,\nso-1,Trùng,so,\nxa-9,Xã,xa,khong-co\n"
    report = import_units(content.encode(), "ds.csv")
    messages = dict()
    for row, message in report.errors:
        messages.setdefault(row, []).append(message)
    assert any("chỉ được gồm" in m for m in messages[3])
    assert "thiếu tên đơn vị" in messages[3]
    assert any("cấp 'sao' không tồn tại" in m for m in messages[3])
    assert any("trùng với dòng 2" in m for m in messages[4])
    assert any("khong-co" in m for m in messages[5])
    assert not Unit.objects.exists()


def test_missing_columns(db):
    report = import_units(b"code,name\na,b\n", "ds.csv")
    assert report.errors and "Thiếu cột: cap" in report.errors[0][1]


def test_reimport_updates_existing_units(db):
    import_units(CSV.encode(), "a.csv")
    report = import_units("ma,ten,cap\nhuyen-1,UBND huyện Một (mới),huyen\n".encode(), "a.csv")
    assert report.updated == 1
    assert Unit.objects.get(code="huyen-1").name == "UBND huyện Một (mới)"


def test_wrong_file_type(db):
    report = import_units(b"%PDF-1.4", "ds.pdf")
    assert "Chỉ nhận tệp .csv hoặc .xlsx" in report.errors[0][1]


def test_import_view_shows_row_errors(client, make_user):
    client.force_login(make_user("quantri", "assessment_admin"))
    html = client.post(reverse("organisations:import"),
                       {"file": SimpleUploadedFile("ds.csv", b"ma,ten,cap\nx,,so\n")}).content.decode()
    assert "thiếu tên đơn vị" in html and "chưa lưu dòng nào" in html
    assert 'name="token"' not in html  # nothing to confirm


def test_import_view_previews_then_confirms(client, make_user):
    client.force_login(make_user("quantri", "assessment_admin"))
    response = client.post(reverse("organisations:import"), {"file": SimpleUploadedFile("ds.csv", CSV.encode())})
    assert response.status_code == 200 and not Unit.objects.exists()
    assert "2 đơn vị mới · 0 đơn vị thay đổi · 0 giữ nguyên · 0 lỗi" in response.content.decode()
    response = client.post(reverse("organisations:import"), {"token": response.context["token"]})
    assert response.status_code == 302 and Unit.objects.count() == 2


def test_moving_a_unit_moves_its_subtree(db):
    from dti.organisations.services import update_unit

    import_units("ma,ten,cap,ma_cap_tren\nt,Tỉnh,tinh,\nh1,Huyện 1,huyen,t\nh2,Huyện 2,huyen,t\nx,Xã,xa,h1\n".encode(), "a.csv")
    update_unit(Unit.objects.get(code="h1"), parent=Unit.objects.get(code="h2"))
    assert Unit.objects.get(code="x").path == "/t/h2/h1/x/"


TREE = "ma,ten,cap,ma_cap_tren,nhom_xep_hang\nt,Tỉnh,tinh,,\nh1,Huyện 1,huyen,t,Huyện\nh2,Huyện 2,huyen,t,Huyện\nx,Xã,xa,h1,Xã\n"


def tree():
    assert import_units(TREE.encode(), "a.csv").ok


def parents():
    return {u.code: (u.parent.code if u.parent else "", u.path, u.ranking_group)
            for u in Unit.objects.select_related("parent")}


def test_a_file_without_the_parent_column_does_not_move_units(db):
    tree()
    before = parents()
    report = import_units("ma,ten,cap\nx,Xã (tên mới),xa\nh2,Huyện 2,huyen\n".encode(), "b.csv")
    assert report.ok and report.updated == 1 and report.unchanged == 1
    assert parents() == before
    assert Unit.objects.get(code="x").name == "Xã (tên mới)"


def test_empty_parent_and_group_cells_leave_them_unchanged(db):
    tree()
    before = parents()
    report = import_units("ma,ten,cap,ma_cap_tren,nhom_xep_hang\nx,Xã,xa,,\n".encode(), "b.csv")
    assert report.ok and report.unchanged == 1 and parents() == before


def test_a_file_that_names_another_parent_moves_the_unit_and_its_subtree(db):
    tree()
    report = import_units("ma,ten,cap,ma_cap_tren\nh1,Huyện 1,huyen,h2\n".encode(), "b.csv")
    assert report.ok and report.updated == 1
    assert Unit.objects.get(code="x").path == "/t/h2/h1/x/"


def test_preview_lists_added_changed_unchanged_and_saves_nothing(db):
    tree()
    content = ("ma,ten,cap,ma_cap_tren\nh1,Huyện Một,huyen,t\nh2,Huyện 2,huyen,t\nh3,Huyện 3,huyen,t\n"
               "x,Xã,xa,h2\n").encode()
    events = AuditEvent.objects.count()
    plan = plan_import(content, "c.csv")
    assert plan.ok and plan.missing_columns == ["group"]
    assert [(r.row, r.code) for r in plan.added] == [(4, "h3")]
    assert [(r.row, r.code, r.changes) for r in plan.changed] == [
        (2, "h1", [("name", "Huyện 1", "Huyện Một")]), (5, "x", [("parent", "h1", "h2")])]
    assert [(r.row, r.code) for r in plan.unchanged] == [(3, "h2")]
    assert not Unit.objects.filter(code="h3").exists() and Unit.objects.get(code="h1").name == "Huyện 1"
    assert AuditEvent.objects.count() == events


def test_preview_catches_a_move_under_its_own_subtree_with_its_row(db):
    tree()
    plan = plan_import("ma,ten,cap,ma_cap_tren\nh1,Huyện 1,huyen,x\n".encode(), "c.csv")
    assert plan.errors and plan.errors[0][0] == 2 and "trực thuộc" in plan.errors[0][1]


def test_apply_is_all_or_nothing(db):
    tree()
    plan = apply_import("ma,ten,cap,ma_cap_tren\nh3,Huyện 3,huyen,t\nh1,Huyện 1,huyen,x\n".encode(), "c.csv")
    assert not plan.ok and not Unit.objects.filter(code="h3").exists()


def test_confirm_refuses_when_units_changed_since_the_preview(db):
    tree()
    content = "ma,ten,cap\nh1,Huyện Một,huyen\n".encode()
    previewed = plan_import(content, "c.csv")
    Unit.objects.filter(code="h1").update(name="Huyện 1 (đã sửa)")
    plan = apply_import(content, "c.csv", expected_digest=previewed.digest)
    assert not plan.ok and "đã thay đổi từ lúc xem trước" in plan.errors[0][1]
    assert Unit.objects.get(code="h1").name == "Huyện 1 (đã sửa)"


@pytest.mark.parametrize("cell, message", [
    ("Xã\x00", "ký tự rỗng (NUL)"),
    ("Xã\x07", "ký tự điều khiển"),
    ("X" * 256, "vượt quá giới hạn 255 ký tự"),
])
def test_bad_text_in_a_cell_is_a_row_error(db, cell, message):
    content = f"ma,ten,cap\nxa-1,Xã Một,xa\nxa-2,{cell},xa\n".encode()
    report = import_units(content, "d.csv")
    assert not report.ok and not Unit.objects.exists()
    ((row, text),) = report.errors
    assert row == 3 and text.startswith("ten: ") and message in text


def preview(client, content, name="ds.csv"):
    return client.post(reverse("organisations:import"), {"file": SimpleUploadedFile(name, content)})


@pytest.fixture
def admin_client(client, make_user):
    client.force_login(make_user("quantri", "assessment_admin"))
    return client


def test_preview_page_lists_each_kind(admin_client, db):
    tree()
    html = preview(admin_client, "ma,ten,cap\nh1,Huyện Một,huyen\nh2,Huyện 2,huyen\nh9,Huyện 9,huyen\n".encode()
                   ).content.decode()
    assert "1 đơn vị mới · 1 đơn vị thay đổi · 1 giữ nguyên · 0 lỗi" in html
    assert "Huyện Một" in html and "Huyện 9" in html and "Xác nhận nhập" in html
    assert "ma_cap_tren" in html and "giữ nguyên" in html  # the missing columns are named


def test_confirm_needs_no_server_memory(admin_client, db, settings, django_capture_on_commit_callbacks):
    """The token and the stored file are all a confirmation needs: another process (here: a
    fresh client, a fresh session) confirms it."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    token = preview(admin_client, CSV.encode()).context["token"]
    other = Client()
    other.force_login(get_user_model().objects.get(username="quantri"))
    with django_capture_on_commit_callbacks(execute=True):
        assert other.post(reverse("organisations:import"), {"token": token}).status_code == 302
    assert Unit.objects.count() == 2
    assert not list((settings.MEDIA_ROOT / PENDING_DIR).iterdir())  # the kept file is gone


def test_a_tampered_token_is_refused(admin_client, db):
    token = preview(admin_client, CSV.encode()).context["token"]
    response = admin_client.post(reverse("organisations:import"), {"token": token[:-2] + "xx"}, follow=True)
    assert "Bản xem trước đã hết hạn hoặc không hợp lệ" in response.content.decode()
    assert not Unit.objects.exists()


def test_another_admin_cannot_confirm_my_preview(admin_client, client, make_user, db):
    from django.test import Client

    token = preview(admin_client, CSV.encode()).context["token"]
    other = Client()
    other.force_login(make_user("quantri2", "assessment_admin"))
    response = other.post(reverse("organisations:import"), {"token": token}, follow=True)
    assert "Bản xem trước đã hết hạn hoặc không hợp lệ" in response.content.decode()
    assert not Unit.objects.exists()


def test_a_changed_stored_file_is_refused(admin_client, db, settings):
    token = preview(admin_client, CSV.encode()).context["token"]
    (stored,) = (settings.MEDIA_ROOT / PENDING_DIR).iterdir()
    stored.write_bytes(CSV.replace("UBND xã Một", "Xã khác").encode())
    response = admin_client.post(reverse("organisations:import"), {"token": token}, follow=True)
    assert "Bản xem trước đã hết hạn hoặc không hợp lệ" in response.content.decode()
    assert not Unit.objects.exists()


def test_confirm_after_a_change_shows_the_new_preview(admin_client, db):
    tree()
    token = preview(admin_client, "ma,ten,cap\nh1,Huyện Một,huyen\n".encode()).context["token"]
    Unit.objects.filter(code="h1").update(name="Huyện 1 (đã sửa)")
    response = admin_client.post(reverse("organisations:import"), {"token": token})
    html = response.content.decode()
    assert response.status_code == 200 and "đã thay đổi từ lúc xem trước" in html
    assert "Huyện 1 (đã sửa)" in html and response.context["token"] and response.context["token"] != token
    assert Unit.objects.get(code="h1").name == "Huyện 1 (đã sửa)"


def test_renaming_or_regrouping_a_unit_shows_at_once_in_the_ranking(client, users, campaign, submitted):
    from dti.results.selectors import campaign_scores

    client.force_login(users["assessment_admin"])
    ranking = reverse("results:ranking", args=[campaign.pk])
    assert "Sở Alpha" in client.get(ranking).content.decode()  # the run and the page are now cached
    campaign_scores(campaign)
    report = import_units("ma,ten,cap,nhom_xep_hang\nso-a,Sở Alpha Mới,so,Nhóm riêng\n".encode(), "e.csv")
    assert report.ok and report.updated == 1
    html = client.get(ranking).content.decode()
    assert "Sở Alpha Mới" in html
    groups = {g.label for g in campaign_scores(campaign).groups}
    assert "Nhóm riêng" in groups


def test_a_preview_with_errors_still_lists_what_the_other_rows_would_do(db):
    tree()
    plan = plan_import("ma,ten,cap\nh1,Huyện Một,huyen\nh2,Huyện 2,huyen\nh9,Huyện 9,huyen\nxa 1,Xã,xa\n".encode(),
                       "f.csv")
    assert [row for row, _m in plan.errors] == [5]
    assert [r.code for r in plan.added] == ["h9"] and [r.code for r in plan.changed] == ["h1"]
    assert [r.code for r in plan.unchanged] == ["h2"]
    assert not Unit.objects.filter(code="h9").exists()
