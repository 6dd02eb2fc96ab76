from django.urls import reverse


def test_trail_of_an_indicator_shows_old_and_new(client, users, campaign, submission, fill):
    fill(submission, {"1.2.a": "3"})
    fill(submission, {"1.2.a": "5", "1.3.co": "1"})
    client.force_login(users["viewer"])
    url = reverse("audit:trail", args=[campaign.pk, "so-a"]) + "?indicator=1.2"
    html = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in html
    assert "bientap.so-a" in html and "1.2.a" in html and "1.3.co" not in html
    assert "<td>3</td><td>5</td>" in html


def test_full_trail_page(client, users, campaign, submission, fill):
    fill(submission, {"1.2.a": "3"})
    client.force_login(users["reporter"])
    html = client.get(reverse("audit:trail", args=[campaign.pk, "so-a"])).content.decode()
    assert "Nhật ký thay đổi" in html and "Sửa số liệu" in html
