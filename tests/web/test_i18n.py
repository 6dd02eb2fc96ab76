from django.conf import settings
from django.urls import reverse


def test_vietnamese_by_default_even_with_english_browser(client, users, campaign, submitted):
    client.force_login(users["assessment_admin"])
    html = client.get(reverse("results:ranking", args=[campaign.pk]), HTTP_ACCEPT_LANGUAGE="en-US").content.decode()
    assert 'lang="vi"' in html and "Kết quả xếp hạng" in html
    assert "47,5" in html


def test_english_when_chosen(client, users, campaign, submitted):
    client.force_login(users["assessment_admin"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(reverse("results:ranking", args=[campaign.pk])).content.decode()
    assert 'lang="en"' in html and "Ranking" in html
    assert "47.5" in html


def test_dates_are_day_month_year(client, users, campaign):
    client.force_login(users["assessment_admin"])
    html = client.get(reverse("campaigns:detail", args=[campaign.pk])).content.decode()
    assert campaign.entry_deadline.strftime("%d/%m/%Y") in html


def test_thousands_are_grouped_vietnamese_style():
    from django.utils import translation

    from dti.site.templatetags.dti import num

    with translation.override("vi"):
        assert num(1234.5) == "1.234,5"
        assert num(2.0) == "2"
    with translation.override("en"):
        assert num(1234.5) == "1,234.5"


def test_login_page_in_vietnamese(client):
    assert "Đăng nhập" in client.get(reverse("accounts:login")).content.decode()
