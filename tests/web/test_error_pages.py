"""Error pages 400, 403, 404, 405, 500: Vietnamese, in the site's layout, with a way back (DEBUG off)."""

import pytest
from django.test import Client
from django.urls import path, reverse
from django.views.defaults import server_error

from dti.site.urls import urlpatterns as site_urlpatterns


def boom(request):
    raise RuntimeError("lỗi thử")


urlpatterns = [path("thu-loi/", boom), *site_urlpatterns]


def assert_styled(response, status, heading):
    assert response.status_code == status
    html = response.content.decode()
    assert heading in html
    assert 'lang="vi"' in html and "dti/app.css" in html  # base.html's layout
    assert f"Mã lỗi {status}" in html
    assert 'href="/"' in html and "Về trang chủ" in html and "history.back()" in html
    return html


def test_404_page(client, make_user):
    client.force_login(make_user("bientap"))
    html = assert_styled(client.get("/khong-co-trang-nay/"), 404, "Không tìm thấy trang")
    assert "Đăng xuất" in html  # the signed-in layout, with the user menu


def test_404_for_anonymous(client, db):
    assert_styled(client.get("/khong-co-trang-nay/"), 404, "Không tìm thấy trang")


def test_403_page(client, make_user):
    client.force_login(make_user("bientap"))
    assert_styled(client.get(reverse("organisations:list")), 403, "Không có quyền truy cập")


def test_400_page_on_a_bad_host_header(client, db):
    assert_styled(client.get("/", HTTP_HOST="ke-gia-mao.example"), 400, "Yêu cầu không hợp lệ")


def test_405_page_keeps_the_allow_header(client, make_user):
    client.force_login(make_user("bientap"))
    response = client.get(reverse("accounts:logout"))
    assert_styled(response, 405, "Thao tác không được hỗ trợ")
    assert "POST" in response["Allow"]


def test_405_from_require_post(client, users, campaign):
    client.force_login(users["assessment_admin"])
    response = client.get(reverse("campaigns:extension", args=[campaign.pk]))
    assert_styled(response, 405, "Thao tác không được hỗ trợ")
    assert response["Allow"] == "POST"


@pytest.mark.urls(__name__)
def test_500_page_through_the_handler(db, make_user):
    client = Client(raise_request_exception=False)
    client.force_login(make_user("bientap"))
    assert_styled(client.get("/thu-loi/"), 500, "Lỗi máy chủ")


def test_500_page_renders_without_a_request_context_or_database(rf):
    # No `db` fixture: any database access here fails the test.
    response = server_error(rf.get("/"))
    assert_styled(response, 500, "Lỗi máy chủ")


def test_csrf_failure_page_is_vietnamese(make_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user("bientap"))
    assert_styled(client.post(reverse("accounts:password_change"), {}), 403, "Phiên làm việc đã hết hạn")


def test_error_page_in_english_when_chosen(client, db):
    from django.conf import settings

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get("/khong-co-trang-nay/").content.decode()
    assert "Page not found" in html and "Home page" in html
