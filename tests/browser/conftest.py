import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dti.site.settings")
# Playwright's sync API runs an event loop in this thread; Django's ORM calls made by
# the test itself (fixtures, assertions) are still synchronous and safe here.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

import django  # noqa: E402
from django.apps import apps  # noqa: E402

if not apps.ready:
    django.setup()

import datetime as dt  # noqa: E402

import pytest  # noqa: E402

from .helpers import ARGS, CHROMIUM, FRAMEWORK, make_user  # noqa: E402


@pytest.fixture
def browser():
    """A fresh Chromium for each test. Function scope on purpose: a browser shared by a module's tests
    was seen to break the database reset between these transactional tests."""
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield instance
        instance.close()


@pytest.fixture(autouse=True)
def _site_for_browser_tests(settings, tmp_path):
    """Uploads into the test's own folder; a fast password hasher for the people the fixtures create."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def cycle_world(transactional_db):
    """test_cycle's and test_people_and_audit's campaign: Sở Alpha (a reporter and a leader) still to enter,
    Sở Bêta submitted; a reviewer and an assessment admin."""
    from django.utils import timezone

    from dti.campaigns.services import create_campaign
    from dti.methodologies.services import create_version
    from dti.organisations.services import create_unit
    from dti.submissions.models import Submission
    from dti.submissions.services import approve_by_leader, save_entry, submit

    today = timezone.localdate()
    province = create_unit(code="tn", name="UBND tỉnh Thử Nghiệm", level="tinh")
    so_a = create_unit(code="so-a", name="Sở Alpha", level="so", parent=province)
    so_b = create_unit(code="so-b", name="Sở Bêta", level="so", parent=province)
    campaign = create_campaign(
        name="Đợt kiểm thử", framework=create_version(FRAMEWORK), year=2024, period_start=dt.date(2024, 1, 1),
        period_end=dt.date(2024, 12, 31), entry_deadline=today + dt.timedelta(days=5),
        review_deadline=today + dt.timedelta(days=10), units=[so_a, so_b],
    )
    make_user("bientap.so-a", "reporter", so_a)
    make_user("lanhdao.so-a", "leader", so_a)
    make_user("thamdinh", "reviewer")
    admin = make_user("quantri", "assessment_admin")
    other = Submission.objects.get(campaign=campaign, unit=so_b)
    save_entry(other, user=admin, values={"1.1.truong_ban": "khac", "1.2.a": "1", "1.2.b": "2", "1.3.co": "1"})
    approve_by_leader(other, user=admin)
    submit(other, user=admin)
    return campaign
