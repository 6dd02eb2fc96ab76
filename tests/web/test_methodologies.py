import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from dti.methodologies.models import FrameworkVersion
from dti.methodologies.services import create_version, load_bundled

from .conftest import FRAMEWORK_YAML


def test_create_version_stores_yaml_and_metadata(db):
    version = create_version(FRAMEWORK_YAML)
    assert (version.code, version.revision, version.year, version.document) == ("test-so", 1, 2024, "01/QĐ-TEST")
    assert not version.frozen


def test_invalid_framework_is_refused_with_messages(db):
    with pytest.raises(ValidationError) as exc:
        create_version(FRAMEWORK_YAML.replace("value: \"a / b\"", "value: \"a / c\""))
    assert any("'c'" in m for m in exc.value.messages)


def test_yaml_syntax_error(db):
    with pytest.raises(ValidationError, match="YAML"):
        create_version("code: [unclosed")


def test_campaign_freezes_its_framework(campaign, framework):
    framework.refresh_from_db()
    assert framework.frozen


def test_editing_creates_a_new_revision(client, make_user, campaign, framework):
    client.force_login(make_user("quantri", "assessment_admin"))
    text = FRAMEWORK_YAML.replace("Bộ chỉ số thử nghiệm cấp Sở", "Bộ chỉ số thử nghiệm cấp Sở (sửa)")
    response = client.post(reverse("methodologies:new_version", args=[framework.pk]), {"yaml_text": text})
    assert response.status_code == 302
    versions = list(FrameworkVersion.objects.filter(code="test-so").order_by("revision"))
    assert [v.revision for v in versions] == [1, 2]
    assert versions[0].yaml_text == FRAMEWORK_YAML and versions[1].derived_from == versions[0]


def test_framework_page_shows_tree(client, make_user, framework):
    client.force_login(make_user("ai-do"))
    html = client.get(reverse("methodologies:detail", args=[framework.pk])).content.decode()
    assert "Nhận thức số" in html and "Tỷ lệ = a/b" in html


def test_bundled_frameworks_load_once(db):
    first = load_bundled()
    again = load_bundled()
    created = [name for name, version, status in first if status == "created"]
    assert "hcm-79-so.yaml" in created
    assert all(status == "exists" for _n, version, status in again if version is not None)


def test_framework_page_marks_inferred_codes_and_constraints(client, make_user, db):
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / "dti" / "frameworks" / "binhdinh-kpi-2023.yaml").read_text()
    version = create_version(text)
    client.force_login(make_user("ai-do"))
    html = client.get(reverse("methodologies:detail", args=[version.pk])).content.decode()
    # "(Kèm theo Quyết định số     /QĐ-UBND ngày     /    /2023 …)": no number, no date is shown as the document's
    assert "2268" not in html and "số và ngày để trống trong văn bản" in html
    assert "mã suy luận" in html and "Văn bản không đánh mã cho Lớp" in html
    assert "tử số đếm một phần của những gì mẫu số đếm" in html


def test_framework_page_lists_the_readings_of_an_indicator(client, make_user, db):
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / "dti" / "frameworks" / "hcm-79-huyen.yaml").read_text()
    version = create_version(text)
    client.force_login(make_user("ai-do"))
    html = client.get(reverse("methodologies:detail", args=[version.pk])).content.decode()
    assert "cap_at_max</span> (mặc định)" in html and "so_annex</span>" in html


def test_framework_page_prints_codes_as_the_document_does(client, make_user, db):
    from .test_scorecard_names import MATURITY_YAML

    version = create_version(MATURITY_YAML)
    client.force_login(make_user("xem", "viewer"))
    html = client.get(reverse("methodologies:detail", args=[version.pk])).content.decode()
    assert '<span class="code">I.1</span>' in html and '<span class="code">xa.I' not in html
