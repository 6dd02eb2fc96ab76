import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from dti.organisations.models import Unit
from dti.organisations.services import import_units

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


def test_import_view_success_redirects(client, make_user):
    client.force_login(make_user("quantri", "assessment_admin"))
    response = client.post(reverse("organisations:import"), {"file": SimpleUploadedFile("ds.csv", CSV.encode())})
    assert response.status_code == 302 and Unit.objects.count() == 2


def test_moving_a_unit_moves_its_subtree(db):
    from dti.organisations.services import update_unit

    import_units("ma,ten,cap,ma_cap_tren\nt,Tỉnh,tinh,\nh1,Huyện 1,huyen,t\nh2,Huyện 2,huyen,t\nx,Xã,xa,h1\n".encode(), "a.csv")
    update_unit(Unit.objects.get(code="h1"), parent=Unit.objects.get(code="h2"))
    assert Unit.objects.get(code="x").path == "/t/h2/h1/x/"
