"""Making a campaign public from two tabs at the same moment (PostgreSQL, real parallel transactions):
one succeeds, the other is told the page is stale; one row, one audit entry."""

from __future__ import annotations

import pytest
from django.db import connection

from dti.audit.models import AuditEvent
from dti.public import services
from dti.public.models import PublicCampaign

from .test_concurrency import in_parallel

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="parallel transactions need PostgreSQL"),
]


def test_parallel_make_public_records_once(campaign, users):
    from dti.campaigns.services import mark_published

    mark_published(campaign, user=users["assessment_admin"])
    outcomes = in_parallel(*[lambda: services.run(campaign, "make_public", user=users["assessment_admin"],
                                                  expected_public=False) for _ in range(3)])
    assert sorted(kind for kind, _ in outcomes) == ["error", "error", "ok"]
    assert all(isinstance(value, services.PublicError) for kind, value in outcomes if kind == "error")
    assert PublicCampaign.objects.filter(campaign=campaign).count() == 1
    assert AuditEvent.objects.filter(campaign_id=campaign.pk, action="campaign.make_public").count() == 1
