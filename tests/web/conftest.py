"""Fixtures for the web tests: a small framework, a province with three Sở, users for every role.

Run: PYTHONPATH=. DJANGO_SETTINGS_MODULE=dti.site.settings pytest tests/web
(also with DATABASE_URL=postgres://postgres@127.0.0.1:5432/dti).
"""

from __future__ import annotations

import datetime as dt
import os

import pytest

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dti.site.settings")
import django  # noqa: E402
from django.apps import apps  # noqa: E402

if not apps.ready:  # when DJANGO_SETTINGS_MODULE was not given to pytest
    django.setup()

FRAMEWORK_YAML = """
code: test-so
name: Bộ chỉ số thử nghiệm cấp Sở
source: {document: "01/QĐ-TEST", date: 2024-01-10, issuer: UBND tỉnh Thử Nghiệm}
year: 2024
version: "1"
levels:
  - {code: so, name: "Sở, ban, ngành"}
policies: {missing_data: zero, no_content: full, exempt: exclude, rescale: false}
general_info:
  - {var: so_cong_chuc, label: Số lượng công chức hiện có, type: count, unit: người}
indicators:
  - code: "1"
    name: Nhận thức số
    max_points: 30
    children:
      - code: "1.1"
        name: Người đứng đầu là Trưởng ban Ban chỉ đạo chuyển đổi số
        max_points: 10
        method: "Trưởng ban là Giám đốc: Điểm tối đa; Phó giám đốc: 1/2 × Điểm tối đa"
        evidence: Quyết định thành lập Ban chỉ đạo
        inputs:
          - var: truong_ban
            label: Trưởng ban Ban chỉ đạo
            type: choice
            options:
              - {value: giam_doc, label: Giám đốc}
              - {value: pho_giam_doc, label: Phó Giám đốc}
              - {value: khac, label: Khác}
        rule:
          kind: choice
          field: truong_ban
          scores:
            - {option: giam_doc, share: 1}
            - {option: pho_giam_doc, share: 0.5}
      - code: "1.2"
        name: Người đứng đầu chủ trì các cuộc họp về chuyển đổi số
        max_points: 10
        method: "Tỷ lệ = a/b; Điểm = Tỷ lệ × Điểm tối đa"
        inputs:
          - {var: a, label: Số cuộc họp có Giám đốc chủ trì, type: count, unit: cuộc họp}
          - {var: b, label: Tổng số cuộc họp, type: count, unit: cuộc họp}
        constraints:
          - {check: "a <= b", message: "Số cuộc họp Giám đốc chủ trì không thể lớn hơn tổng số cuộc họp"}
        rule: {kind: ratio, value: "a / b"}
      - code: "1.3"
        name: Ban hành kế hoạch chuyển đổi số
        max_points: 10
        inputs:
          - {var: co, label: Đã ban hành kế hoạch, type: yes_no}
        rule: {kind: yes_no, field: co}
  - code: "2"
    name: Dịch vụ công trực tuyến
    max_points: 20
    children:
      - code: "2.1"
        name: Số hồ sơ trực tuyến (so với đơn vị cao nhất)
        max_points: 20
        method: "Min-Max giữa các Sở"
        inputs:
          - {var: a, label: Số hồ sơ trực tuyến, type: count, unit: hồ sơ}
        rule: {kind: relative, method: max_ratio, value: "a"}
"""


@pytest.fixture(autouse=True)
def _fast(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.LANGUAGE_CODE = "vi"


@pytest.fixture(autouse=True)
def _clear_scores_cache():
    from django.core.cache import caches

    caches["scores"].clear()
    caches["default"].clear()
    yield
    caches["scores"].clear()
    caches["default"].clear()


@pytest.fixture
def framework(db):
    from dti.methodologies.services import create_version

    return create_version(FRAMEWORK_YAML)


@pytest.fixture
def units(db):
    from dti.organisations.services import create_unit

    province = create_unit(code="tn", name="UBND tỉnh Thử Nghiệm", level="tinh")
    return {
        "tn": province,
        "so-a": create_unit(code="so-a", name="Sở Alpha", level="so", parent=province, ranking_group="Sở"),
        "so-b": create_unit(code="so-b", name="Sở Bêta", level="so", parent=province, ranking_group="Sở"),
        "so-c": create_unit(code="so-c", name="Sở Gamma", level="so", parent=province, ranking_group="Sở"),
    }


@pytest.fixture
def today():
    from django.utils import timezone

    return timezone.localdate()


@pytest.fixture
def campaign(db, framework, units, today):
    from dti.campaigns.services import create_campaign

    return create_campaign(
        name="Đánh giá thử nghiệm",
        framework=framework,
        year=2024,
        period_start=dt.date(2024, 1, 1),
        period_end=dt.date(2024, 12, 31),
        entry_deadline=today + dt.timedelta(days=10),
        review_deadline=today + dt.timedelta(days=20),
        units=[units["so-a"], units["so-b"], units["so-c"]],
    )


@pytest.fixture
def make_user(db):
    from django.contrib.auth import get_user_model

    from dti.accounts.models import RoleAssignment

    def make(username, role=None, unit=None, *, subtree=False, campaign=None, units=()):
        user = get_user_model().objects.create_user(username=username, password="pw-" + username)
        if role:
            grant = RoleAssignment.objects.create(user=user, role=role, unit=unit, include_subtree=subtree, campaign=campaign)
            if units:
                grant.units.set(units)
        return user

    return make


@pytest.fixture
def users(make_user, units, campaign):
    return {
        "system_admin": make_user("sysadmin", "system_admin"),
        "assessment_admin": make_user("quantri", "assessment_admin"),
        "reviewer": make_user("thamdinh", "reviewer", campaign=campaign),
        "reporter": make_user("bientap.so-a", "reporter", units["so-a"]),
        "leader": make_user("lanhdao.so-a", "leader", units["so-a"]),
        "viewer": make_user("xem.so-a", "viewer", units["so-a"]),
        "reporter_b": make_user("bientap.so-b", "reporter", units["so-b"]),
        "nobody": make_user("khach"),
    }


def sub(campaign, code):
    from dti.submissions.models import Submission

    return Submission.objects.select_related("unit", "campaign__framework").get(campaign=campaign, unit__code=code)


@pytest.fixture
def submission(campaign):
    return sub(campaign, "so-a")


GOOD = {"info.so_cong_chuc": "1.234", "1.1.truong_ban": "giam_doc", "1.2.a": "3", "1.2.b": "4", "1.3.co": "1",
        "2.1.a": "100"}


@pytest.fixture
def fill(users):
    """Save values for a unit through the service (as its reporter)."""
    from dti.submissions.services import save_entry

    def do(submission, values=None, user=None, **kwargs):
        return save_entry(submission, user=user or users["reporter"], values=GOOD if values is None else values, **kwargs)

    return do


@pytest.fixture
def submitted(campaign, users, fill):
    """so-a filled, approved by its leader and submitted; so-b filled and submitted too."""
    from dti.submissions.services import approve_by_leader, submit

    a = sub(campaign, "so-a")
    fill(a)
    approve_by_leader(a, user=users["leader"])
    submit(a, user=users["reporter"])
    b = sub(campaign, "so-b")
    fill(b, {**GOOD, "2.1.a": "50", "1.1.truong_ban": "pho_giam_doc"}, user=users["reporter_b"])
    approve_by_leader(b, user=users["reporter_b"])
    submit(b, user=users["reporter_b"])
    a.refresh_from_db()
    return a
