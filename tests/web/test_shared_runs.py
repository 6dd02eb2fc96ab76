"""A campaign's parsed data shared through Redis: a new process scores without re-reading every value."""

from __future__ import annotations

import numpy as np
import pytest
import redis
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dti.results import shared
from dti.results.selectors import _compute, campaign_scores, campaign_version
from dti.submissions.models import Value

from .conftest import sub

REDIS_URL = "redis://127.0.0.1:6379/5"
# One Redis database for the module, flushed by each test: its tests run on one xdist worker.
pytestmark = pytest.mark.xdist_group("redis-runs")


@pytest.fixture
def runs(settings):
    try:
        redis.Redis.from_url(REDIS_URL).flushdb()
    except redis.exceptions.ConnectionError:
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    settings.CACHES = {**settings.CACHES, "runs": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                                   "LOCATION": REDIS_URL, "KEY_PREFIX": "dti-test-runs"}}
    shared._shared_at.clear()
    yield
    shared._shared_at.clear()


def new_process():
    """What a new worker holds: nothing in its own cache."""
    caches["scores"].clear()


def reads_values(queries) -> bool:
    return any(Value._meta.db_table in q["sql"] for q in queries.captured_queries)


def test_a_new_process_scores_from_the_shared_run_without_reading_values(runs, campaign, fill):
    fill(sub(campaign, "so-a"))
    built = campaign_scores(campaign)
    new_process()
    with CaptureQueriesContext(connection) as queries:
        loaded = campaign_scores(campaign)
    assert loaded is not built
    assert not reads_values(queries)
    np.testing.assert_array_equal(loaded.verified.total, built.verified.total)
    assert [u.code for u in loaded.units] == [u.code for u in built.units]


def test_a_save_since_the_shared_run_is_read_from_the_database(runs, campaign, fill, users):
    fill(sub(campaign, "so-a"))
    campaign_scores(campaign)
    fill(sub(campaign, "so-b"), {"2.1.a": "50"}, user=users["reporter_b"])
    new_process()
    updated = campaign_scores(campaign)
    rebuilt = _compute(campaign, campaign_version(campaign))
    assert updated.version == rebuilt.version
    np.testing.assert_array_equal(updated.reported.total, rebuilt.reported.total)
    np.testing.assert_array_equal(updated.verified.total, rebuilt.verified.total)


def test_the_first_build_is_shared_and_an_older_one_never_replaces_it(runs, campaign, fill):
    fill(sub(campaign, "so-a"))
    campaign_scores(campaign)
    first = shared.load(campaign)
    assert first is not None and first.version == campaign_version(campaign)
    older = shared.Snapshot(version=first.version - 1, units=[], reported=first.reported,
                            verified=first.verified, previous=None, previous_version=0)
    shared.share(campaign, older, rebuilt=True)
    assert shared.load(campaign).version == first.version


def test_another_reading_of_the_framework_does_not_use_the_shared_run(runs, campaign, fill):
    fill(sub(campaign, "so-a"))
    campaign_scores(campaign)
    assert shared.load(campaign) is not None
    campaign.readings = {"1.2": "literal"}
    assert shared.load(campaign) is None


def test_without_redis_nothing_is_shared(campaign, fill):
    fill(sub(campaign, "so-a"))
    campaign_scores(campaign)
    assert not shared.enabled()
    assert shared.load(campaign) is None


def test_redis_down_falls_back_to_the_database(settings, campaign, fill):
    settings.CACHES = {**settings.CACHES, "runs": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                                   "LOCATION": "redis://127.0.0.1:1/5"}}
    fill(sub(campaign, "so-a"))
    scores = campaign_scores(campaign)
    assert scores.version == campaign_version(campaign)
    assert shared.load(campaign) is None
