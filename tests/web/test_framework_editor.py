"""The framework editor (methodologies:create / new_version): upload or edit, problems beside their lines."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dti.methodologies.models import FrameworkVersion

from .conftest import FRAMEWORK_YAML


@pytest.fixture
def admin(make_user):
    return make_user("quantri", "assessment_admin")


def test_bad_yaml_comes_back_in_the_editor_with_vietnamese_messages(client, admin):
    client.force_login(admin)
    text = FRAMEWORK_YAML.replace('rule: {kind: ratio, value: "a / b"}', 'rule: {kind: ratio, valu: "a / b"}')
    html = client.post(reverse("methodologies:create"), {"yaml_text": text}).content.decode()
    line = next(n for n, t in enumerate(text.splitlines(), start=1) if "valu:" in t)
    assert f'data-line="{line}"' in html and f'id="yaml-line-{line}"' in html
    assert "khóa “valu” không có trong định dạng" in html and "Extra inputs" not in html
    assert "Bộ chỉ số thử nghiệm cấp Sở" in html  # the text stays in the editor
    assert not FrameworkVersion.objects.exists()


def test_syntax_error_never_shows_pyyaml_english(client, admin):
    client.force_login(admin)
    html = client.post(reverse("methodologies:create"), {"yaml_text": "code: x\nname: a: b\n"}).content.decode()
    assert "Dòng 2" in html and "mapping values" not in html


def test_uploaded_file_is_saved(client, admin):
    client.force_login(admin)
    upload = SimpleUploadedFile("bo-chi-so.yaml", FRAMEWORK_YAML.encode("utf-8"), content_type="text/yaml")
    response = client.post(reverse("methodologies:create"), {"yaml_file": upload, "yaml_text": ""})
    assert response.status_code == 302
    assert FrameworkVersion.objects.get().code == "test-so"


def test_uploaded_bad_file_goes_into_the_editor(client, admin):
    client.force_login(admin)
    upload = SimpleUploadedFile("x.yaml", b"code: [unclosed\n", content_type="text/yaml")
    html = client.post(reverse("methodologies:create"), {"yaml_file": upload}).content.decode()
    assert "code: [unclosed" in html and "ngoặc vuông" in html


def test_editing_a_frozen_version_creates_a_new_one(client, admin, campaign, framework):
    client.force_login(admin)
    html = client.get(reverse("methodologies:new_version", args=[framework.pk])).content.decode()
    assert 'class="gutter"' in html and "Bộ chỉ số thử nghiệm cấp Sở" in html
    text = FRAMEWORK_YAML.replace("cấp Sở\n", "cấp Sở (sửa)\n")
    assert client.post(reverse("methodologies:new_version", args=[framework.pk]), {"yaml_text": text}).status_code == 302
    framework.refresh_from_db()
    assert framework.yaml_text == FRAMEWORK_YAML and FrameworkVersion.objects.filter(code="test-so").count() == 2


def test_help_links_to_the_format_page_served_by_the_app(client, admin):
    client.force_login(admin)
    html = client.get(reverse("methodologies:create")).content.decode()
    assert reverse("methodologies:format") in html and "docs/framework-format.md" not in html
    page = client.get(reverse("methodologies:format")).content.decode()
    assert "<h1>The framework file format</h1>" in page and "<pre><code" in page


def test_reporter_cannot_create(client, users):
    client.force_login(users["reporter"])
    assert client.get(reverse("methodologies:create")).status_code == 403
