"""Evidence on an S3-compatible object store (moto's server on loopback), through Django's storage API:
what several app servers share instead of a local disk."""

from __future__ import annotations

import socket

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dti.site.demo import tiny_pdf
from dti.submissions.models import Evidence

moto_server = pytest.importorskip("moto.server")
boto3 = pytest.importorskip("boto3")

BUCKET = "dti-evidence"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# One xdist worker runs the whole module: one S3 server (module fixture).
pytestmark = pytest.mark.xdist_group("servers")


@pytest.fixture(scope="module")
def object_store():
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=free_port(), verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    client = boto3.client("s3", endpoint_url=endpoint, aws_access_key_id="dti", aws_secret_access_key="dti",
                          region_name="us-east-1")
    client.create_bucket(Bucket=BUCKET)
    yield endpoint, client
    server.stop()


@pytest.fixture
def s3(settings, object_store):
    from dti.site.settings import s3_storage

    endpoint, client = object_store
    settings.STORAGES = {**settings.STORAGES, "default": s3_storage(bucket=BUCKET, endpoint_url=endpoint,
                                                                   access_key="dti", secret_key="dti")}
    return client


def keys(client) -> set[str]:
    return {item["Key"] for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])}


def test_evidence_is_stored_in_the_bucket_and_served_through_the_permission_checked_view(
        client, users, campaign, submission, s3, settings):
    client.force_login(users["reporter"])
    before = keys(s3)
    client.post(reverse("submissions:entry", args=[campaign.pk, "so-a"]),
                {"ev:1.1": SimpleUploadedFile("quyet-dinh.pdf", tiny_pdf("Quyet dinh"))})
    item = Evidence.objects.get(submission=submission)
    assert keys(s3) - before == {item.file.name}
    assert not (settings.MEDIA_ROOT / item.file.name).exists() if hasattr(settings.MEDIA_ROOT, "exists") else True
    response = client.get(reverse("submissions:evidence", args=[campaign.pk, "so-a", item.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == tiny_pdf("Quyet dinh")
    client.force_login(users["reporter_b"])
    assert client.get(reverse("submissions:evidence", args=[campaign.pk, "so-a", item.pk])).status_code == 404


def test_deleted_evidence_leaves_the_bucket_after_commit(client, users, campaign, submission, s3,
                                                          django_capture_on_commit_callbacks):
    from dti.submissions.services import save_entry

    client.force_login(users["reporter"])
    client.post(reverse("submissions:entry", args=[campaign.pk, "so-a"]),
                {"ev:1.1": SimpleUploadedFile("ke-hoach.pdf", tiny_pdf("Ke hoach"))})
    item = Evidence.objects.get(submission=submission)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        save_entry(submission, user=users["reporter"], delete_evidence=[item.pk])
    assert item.file.name in keys(s3)  # not yet committed
    for callback in callbacks:
        callback()
    assert item.file.name not in keys(s3)


def test_object_missing_from_the_bucket_answers_404(client, users, campaign, submission, s3):
    client.force_login(users["reporter"])
    client.post(reverse("submissions:entry", args=[campaign.pk, "so-a"]),
                {"ev:1.1": SimpleUploadedFile("quyet-dinh.pdf", tiny_pdf())})
    item = Evidence.objects.get(submission=submission)
    s3.delete_object(Bucket=BUCKET, Key=item.file.name)
    assert client.get(reverse("submissions:evidence", args=[campaign.pk, "so-a", item.pk])).status_code == 404
