"""schemathesis against /api/openapi.json, authenticated with a demo token (a unit reporter who may write).

Every operation gets a bounded number of generated requests (``MAX_EXAMPLES``; about 20 s on
two cores): no answer may be a server error, and every answer must match the documented
status codes, content type and schema.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from dti.site.wsgi import application

MAX_EXAMPLES = 25
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)


@pytest.fixture(autouse=True)
def _keep_test_connection():
    """As Django's test client does: the WSGI handler must not close the test's database connection
    (on PostgreSQL that ends the test transaction)."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def demo_token(users, campaign, fill, submission):
    from dti.api.services import create_personal_token

    fill(submission)  # some data to read, score and conflict with
    return create_personal_token(users["reporter"], name="schemathesis", write=True)[1]


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_schema(case, demo_token, campaign, framework):
    # Random ids mostly reach nothing (404, tested elsewhere): point them at the demo data so that
    # generated bodies and queries reach the services behind.
    params = case.path_parameters or {}
    if "campaign_id" in params:
        params["campaign_id"] = campaign.pk
    if "framework_id" in params:
        params["framework_id"] = framework.pk
    if "unit_code" in params and len(str(params["unit_code"])) % 2 == 0:
        params["unit_code"] = "so-a"
    case.call_and_validate(headers={"Authorization": f"Bearer {demo_token}"}, checks=CHECKS)
