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


def test_indicator_filter_with_nul_byte_gets_a_message_not_an_error(client, users, campaign, submission):
    from django.urls import reverse

    client.force_login(users["reporter"])
    response = client.get(reverse("audit:trail", args=[campaign.pk, "so-a"]), {"indicator": "1.2\x00"})
    assert response.status_code == 200
    assert "ký tự rỗng (NUL)" in response.content.decode()


def test_ranking_group_with_nul_byte_is_not_a_server_error(client, users, campaign, submitted):
    from django.urls import reverse

    client.force_login(users["assessment_admin"])
    response = client.get(reverse("results:ranking", args=[campaign.pk]), {"group": "Sở\x00"})
    assert response.status_code in (200, 404)
