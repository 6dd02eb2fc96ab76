"""The Django admin: the framework version is fixed once a unit has data; every change is in the audit trail."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse

from dti.accounts.models import RoleAssignment
from dti.audit.models import AuditEvent
from dti.campaigns.models import Campaign
from dti.campaigns.services import change_framework
from dti.organisations.models import Unit
from dti.submissions.models import State, Submission

from .conftest import FRAMEWORK_YAML


@pytest.fixture
def root(client, db):
    user = get_user_model().objects.create_superuser("root", password="pw-root-123")
    client.force_login(user)
    return user


@pytest.fixture
def other_framework(db):
    from dti.methodologies.services import create_version

    return create_version(FRAMEWORK_YAML.replace("code: test-so", "code: test-so-2", 1))


def campaign_data(campaign, **changes):
    data = {
        "name": campaign.name, "framework": campaign.framework_id, "year": campaign.year, "lead_unit": "",
        "previous": "", "period_start": campaign.period_start.isoformat(), "period_end": campaign.period_end.isoformat(),
        "entry_deadline": campaign.entry_deadline.isoformat(), "review_deadline": campaign.review_deadline.isoformat(),
        "approval_date": "", "publication_date": "", "results_published_at_0": "", "results_published_at_1": "",
        "created_by": "",
    }
    return {**data, **changes}


def change_url(obj):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def actions(**filters):
    return list(AuditEvent.objects.filter(**filters).order_by("id").values_list("action", "field", "old", "new"))


def test_admin_switches_framework_while_no_unit_has_data(client, root, campaign, other_framework):
    version = campaign.scores_version
    response = client.post(change_url(campaign), campaign_data(campaign, framework=other_framework.pk))
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.framework == other_framework and campaign.scores_version > version
    other_framework.refresh_from_db()
    assert other_framework.frozen
    events = actions(campaign_id=campaign.pk, field="framework")
    assert [a for a, *_ in events] == ["campaign.framework", "admin.campaign.update"]
    assert events[1][2] != events[1][3] and "test-so-2" not in events[1][2]


def test_admin_cannot_switch_framework_once_a_value_is_typed(client, root, campaign, submission, fill,
                                                             other_framework):
    fill(submission, {"1.2.a": "3"})
    old = campaign.framework_id
    response = client.post(change_url(campaign), campaign_data(campaign, framework=other_framework.pk))
    assert response.status_code == 200
    assert "Không thể đổi bộ chỉ số: đã có đơn vị nhập số liệu" in response.content.decode()
    campaign.refresh_from_db()
    assert campaign.framework_id == old
    assert not AuditEvent.objects.filter(action__startswith="admin.campaign").exists()


def test_a_submission_past_draft_locks_the_framework_even_without_values(client, root, campaign, other_framework):
    Submission.objects.filter(campaign=campaign, unit__code="so-a").update(state=State.SUBMITTED)
    response = client.post(change_url(campaign), campaign_data(campaign, framework=other_framework.pk))
    assert response.status_code == 200 and "Không thể đổi bộ chỉ số" in response.content.decode()


def test_empty_values_do_not_lock_the_framework(campaign, submission, other_framework, users):
    submission.values.create(field="1.2.a", raw="")
    change_framework(campaign, other_framework, user=users["assessment_admin"])
    assert Campaign.objects.get(pk=campaign.pk).framework == other_framework


def test_service_refuses_framework_change_once_a_unit_has_data(campaign, submission, fill, other_framework):
    fill(submission, {"1.3.co": "1"})
    with pytest.raises(ValidationError) as error:
        change_framework(campaign, other_framework)
    assert "Không thể đổi bộ chỉ số" in error.value.message_dict["framework"][0]


def test_model_save_refuses_framework_change_once_a_unit_has_data(campaign, submission, fill, other_framework):
    fill(submission, {"1.3.co": "1"})
    campaign.framework = other_framework
    with pytest.raises(ValidationError):
        campaign.save()
    fresh = Campaign.objects.get(pk=campaign.pk)
    fresh.name = "Đổi tên vẫn được"
    fresh.save()  # other changes save as before


def test_admin_calendar_change_is_recorded_field_by_field(client, root, campaign):
    response = client.post(change_url(campaign), campaign_data(campaign, name="Đợt mới", year=2025))
    assert response.status_code == 302
    events = actions(action="admin.campaign.update", campaign_id=campaign.pk)
    assert ("admin.campaign.update", "name", "Đánh giá thử nghiệm", "Đợt mới") in events
    assert ("admin.campaign.update", "year", "2024", "2025") in events
    assert AuditEvent.objects.filter(action="admin.campaign.update").first().username == "root"


def test_admin_unit_add_change_delete_are_recorded(client, root, units):
    add = reverse("admin:organisations_unit_add")
    response = client.post(add, {"code": "so-moi", "name": "Sở Mới", "level": "so", "parent": units["tn"].pk,
                                 "ranking_group": "Sở", "active": "on"})
    assert response.status_code == 302
    unit = Unit.objects.get(code="so-moi")
    created = AuditEvent.objects.get(action="admin.unit.create")
    assert created.unit_code == "so-moi" and "name=Sở Mới" in created.new
    response = client.post(change_url(unit), {"name": "Sở Mới Hơn", "level": "so", "parent": units["tn"].pk,
                                              "ranking_group": "Sở"})
    assert response.status_code == 302
    changes = actions(action="admin.unit.update", unit_code="so-moi")
    assert ("admin.unit.update", "name", "Sở Mới", "Sở Mới Hơn") in changes
    assert ("admin.unit.update", "active", "có", "không") in changes
    delete = reverse("admin:organisations_unit_delete", args=[unit.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 302
    deleted = AuditEvent.objects.get(action="admin.unit.delete")
    assert deleted.unit_code == "so-moi" and "Sở Mới Hơn" in deleted.old


def test_admin_role_assignment_changes_are_recorded_with_their_units(client, root, users, units, campaign):
    add = reverse("admin:accounts_roleassignment_add")
    response = client.post(add, {"user": users["nobody"].pk, "role": "reviewer", "unit": "", "campaign": campaign.pk,
                                 "units": [units["so-a"].pk, units["so-b"].pk]})
    assert response.status_code == 302
    grant = RoleAssignment.objects.get(user=users["nobody"])
    created = AuditEvent.objects.get(action="admin.roleassignment.create")
    assert created.campaign_id == campaign.pk and "Sở Alpha" in created.new and "Sở Bêta" in created.new
    response = client.post(change_url(grant), {"user": users["nobody"].pk, "role": "reviewer", "unit": "",
                                               "campaign": campaign.pk, "units": [units["so-a"].pk]})
    assert response.status_code == 302
    (change,) = actions(action="admin.roleassignment.update")
    assert change[1] == "units" and "Sở Bêta" in change[2] and "Sở Bêta" not in change[3]


def test_admin_bulk_delete_records_each_object(client, root, users):
    grants = RoleAssignment.objects.filter(role__in=["reporter", "viewer"])
    ids = list(grants.values_list("pk", flat=True))
    response = client.post(reverse("admin:accounts_roleassignment_changelist"),
                           {"action": "delete_selected", "_selected_action": ids, "post": "yes"})
    assert response.status_code == 302
    assert not RoleAssignment.objects.filter(pk__in=ids).exists()
    assert AuditEvent.objects.filter(action="admin.roleassignment.delete").count() == len(ids)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # as test_concurrency: its flush must not re-run post_migrate
def test_framework_change_waits_for_a_save_in_progress_and_then_refuses(framework, units, today, other_framework):
    """PostgreSQL, two real transactions: a unit's first save holds its submission row; the
    framework change waits for it to commit, sees the value and refuses."""
    import threading
    import time

    from django.db import connection, connections, transaction

    if connection.vendor != "postgresql":
        pytest.skip("row locks: PostgreSQL")
    import datetime as dt

    from dti.campaigns.services import create_campaign

    campaign = create_campaign(name="Đợt", framework=framework, year=2024, period_start=dt.date(2024, 1, 1),
                               period_end=dt.date(2024, 12, 31), entry_deadline=today, review_deadline=today,
                               units=[units["so-a"]])
    holding, outcome = threading.Event(), {}

    def save():
        try:
            with transaction.atomic():
                submission = Submission.objects.select_for_update().get(campaign=campaign)
                submission.values.create(field="1.3.co", raw="1")
                holding.set()
                time.sleep(0.5)
        finally:
            connections.close_all()

    def change():
        holding.wait(5)
        started = time.monotonic()
        try:
            change_framework(Campaign.objects.get(pk=campaign.pk), other_framework)
            outcome["result"] = "changed"
        except ValidationError:
            outcome["result"] = "refused"
        finally:
            outcome["waited"] = time.monotonic() - started
            connections.close_all()

    threads = [threading.Thread(target=save), threading.Thread(target=change)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    assert outcome["result"] == "refused" and outcome["waited"] > 0.2
    assert Campaign.objects.get(pk=campaign.pk).framework == framework
