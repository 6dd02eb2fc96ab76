def test_favicon_is_served_at_the_root_without_sign_in(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/vnd.microsoft.icon"
    assert response.content[:4] == b"\x00\x00\x01\x00"  # ICO header


def test_pages_link_the_icons(client):
    html = client.get("/accounts/login/").content.decode()
    assert 'href="/favicon.ico"' in html and "favicon.svg" in html
