"""Two app servers, one store: two gunicorn servers on two ports over the same PostgreSQL database,
the same Redis (shared page cache) and the same S3-compatible object store (moto on loopback).

What one server writes, the other serves at once: a saved value in the ranking and scorecard,
an uploaded file, a transition (a second one through the other server is refused as stale).
Runs in the PostgreSQL pass of `make test` (the production shape); a few seconds of set-up.
"""

from __future__ import annotations

import http.client
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import uuid
from http.cookies import SimpleCookie
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = shutil.which("gunicorn", path=str(Path(sys.executable).parent))
DATABASE_URL = os.environ.get("DATABASE_URL", "")
moto_server = pytest.importorskip("moto.server")
boto3 = pytest.importorskip("boto3")
redis = pytest.importorskip("redis")

pytestmark = [
    pytest.mark.skipif(not DATABASE_URL.startswith("postgres"), reason="the production shape: PostgreSQL pass"),
    pytest.mark.skipif(GUNICORN is None, reason="gunicorn is in requirements.txt"),
    # One xdist worker runs the whole module: its servers are started once (module fixture).
    pytest.mark.xdist_group("servers"),
]
REDIS_URL = "redis://127.0.0.1:6379/7"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def request(port, method, path, body=b"", cookies=None, headers=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = dict(headers or {})
    if cookies:
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    connection.request(method, path, body=body or None, headers=headers)
    response = connection.getresponse()
    data = response.read()
    for header in response.headers.get_all("Set-Cookie") or []:
        if cookies is not None:
            cookies.update({k: m.value for k, m in SimpleCookie(header).items()})
    connection.close()
    return response.status, data


def form(port, path, fields: dict, cookies: dict):
    body = urllib.parse.urlencode({**fields, "csrfmiddlewaretoken": cookies["csrftoken"]}).encode()
    return request(port, "POST", path, body, cookies, {"Content-Type": "application/x-www-form-urlencoded"})


def multipart(port, path, fields: dict, files: dict, cookies: dict):
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in {**fields, "csrfmiddlewaretoken": cookies["csrftoken"]}.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, (filename, content) in files.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                     f"Content-Type: application/pdf\r\n\r\n".encode() + content + b"\r\n")
    body = b"".join(parts) + f"--{boundary}--\r\n".encode()
    return request(port, "POST", path, body, cookies, {"Content-Type": f"multipart/form-data; boundary={boundary}"})


def sign_in(port, username, password="demo") -> dict:
    cookies: dict = {}
    _status, page = request(port, "GET", "/accounts/login/", cookies=cookies)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
    body = urllib.parse.urlencode({"username": username, "password": password, "csrfmiddlewaretoken": token}).encode()
    status, _ = request(port, "POST", "/accounts/login/", body, cookies,
                        {"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 302, username
    return cookies


@pytest.fixture(scope="module")
def two_servers():
    import psycopg

    url = urllib.parse.urlparse(DATABASE_URL)
    name = (url.path.lstrip("/") or "dti") + "_two_servers"
    with psycopg.connect(url._replace(path="/postgres").geturl(), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        redis.Redis.from_url(REDIS_URL).flushdb()
    except redis.exceptions.ConnectionError:
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    store = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=free_port(), verbose=False)
    store.start()
    host, store_port = store.get_host_and_port()
    endpoint = f"http://{host}:{store_port}"
    boto3.client("s3", endpoint_url=endpoint, aws_access_key_id="dti", aws_secret_access_key="dti",
                 region_name="us-east-1").create_bucket(Bucket="dti-two-servers")
    env = {k: v for k, v in os.environ.items() if not k.startswith("DTI_")}
    env.update(DJANGO_SETTINGS_MODULE="dti.site.settings", PYTHONPATH=str(ROOT), DTI_DEBUG="0",
               DTI_SECRET_KEY=secrets.token_urlsafe(50), DATABASE_URL=url._replace(path="/" + name).geturl(),
               DTI_REDIS_URL=REDIS_URL, DTI_S3_BUCKET="dti-two-servers", DTI_S3_ENDPOINT_URL=endpoint,
               DTI_S3_ACCESS_KEY="dti", DTI_S3_SECRET_KEY="dti", DTI_S3_REGION="us-east-1")
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True, timeout=300)
    subprocess.run([*manage, "load_demo"], cwd=ROOT, env=env, check=True, timeout=600, capture_output=True)
    ports, servers = [free_port(), free_port()], []
    for port in ports:
        servers.append(subprocess.Popen([GUNICORN, "--workers", "1", "--threads", "2", "--bind", f"127.0.0.1:{port}",
                                         "--log-level", "warning", "dti.site.wsgi:application"], cwd=ROOT, env=env))
    deadline = time.monotonic() + 90
    for port in ports:
        while True:
            try:
                request(port, "GET", "/accounts/login/")
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
    campaign = subprocess.run(
        [*manage, "shell", "-c", "from dti.campaigns.models import Campaign; "
                                 "print(Campaign.objects.filter(results_published_at=None, framework__code='hcm-79-so', "
                                 "submissions__unit__code='so-tttt').order_by('-pk').first().pk)"],
        cwd=ROOT, env=env, check=True, capture_output=True, text=True).stdout.split()[-1]
    yield ports, int(campaign), env
    for server in servers:
        server.terminate()
        server.wait(timeout=30)
    store.stop()


def without_tokens(page: bytes) -> str:
    """A page without its per-response CSRF tokens (the rest is what the two servers must agree on)."""
    return re.sub(r"[A-Za-z0-9]{64}", "", page.decode())


def row_of(page: bytes, unit_name: str) -> str:
    text = page.decode()
    start = text.index(unit_name)
    return text[text.rindex("<tr", 0, start):text.index("</tr>", start)]


def test_value_saved_through_one_server_is_ranked_by_the_other_at_once(two_servers):
    (a, b), campaign, _env = two_servers
    admin = sign_in(a, "admin", "admin")
    reporter = sign_in(a, "bientap.so-tttt")
    ranking, unit = f"/campaigns/{campaign}/results/", "Sở Thông tin và Truyền thông"
    for port in (a, b, a, b):  # both servers compute, render and cache the ranking and scorecard
        assert request(port, "GET", ranking, cookies=dict(admin))[0] == 200
        assert request(port, "GET", f"{ranking}so-tttt/", cookies=dict(admin))[0] == 200
    before = row_of(request(b, "GET", ranking, cookies=dict(admin))[1], unit)
    entry = f"/campaigns/{campaign}/units/so-tttt/"
    page = request(a, "GET", entry, cookies=reporter)[1].decode()
    leaves = re.findall(r'name="st:([^"]+)"', page)
    status, _ = form(a, entry, {f"st:{code}": "exempt" for code in leaves[:3]}, reporter)
    assert status == 302
    after_b = row_of(request(b, "GET", ranking, cookies=dict(admin))[1], unit)
    after_a = row_of(request(a, "GET", ranking, cookies=dict(admin))[1], unit)
    assert after_b != before and after_b == after_a
    card_a = without_tokens(request(a, "GET", f"{ranking}so-tttt/", cookies=dict(admin))[1])
    card_b = without_tokens(request(b, "GET", f"{ranking}so-tttt/", cookies=dict(admin))[1])
    assert card_a == card_b


def test_evidence_uploaded_through_one_server_downloads_through_the_other(two_servers):
    (a, b), campaign, _env = two_servers
    from dti.site.demo import tiny_pdf

    reporter = sign_in(a, "bientap.so-tttt")
    entry = f"/campaigns/{campaign}/units/so-tttt/"
    page = request(a, "GET", entry, cookies=reporter)[1].decode()
    leaf = re.findall(r'name="ev:([^"]+)"', page)[0]
    content = tiny_pdf("Hai may chu")
    status, _ = multipart(a, entry, {}, {f"ev:{leaf}": ("hai-may-chu.pdf", content)}, reporter)
    assert status == 302
    page = request(b, "GET", entry, cookies=reporter)[1].decode()
    link = re.search(r'href="([^"]+/evidence/\d+/)">hai-may-chu\.pdf', page).group(1)
    status, body = request(b, "GET", link, cookies=reporter)
    assert status == 200 and body == content


def test_transition_through_one_server_is_stale_through_the_other(two_servers):
    """so-noivu's leader has its page open on both servers and withdraws the approval on each."""
    (a, b), campaign, env = two_servers
    leader_a = sign_in(a, "lanhdao.so-noivu")
    leader_b = sign_in(b, "lanhdao.so-noivu")
    entry = f"/campaigns/{campaign}/units/so-noivu/"
    for cookies, port in ((leader_a, a), (leader_b, b)):
        assert "Hủy duyệt" in request(port, "GET", entry, cookies=cookies)[1].decode()
    assert form(a, f"{entry}withdraw/", {"state": "approved_by_leader"}, leader_a)[0] == 302
    assert form(b, f"{entry}withdraw/", {"state": "approved_by_leader"}, leader_b)[0] == 302
    page = request(b, "GET", entry, cookies=leader_b)[1].decode()
    assert "Hồ sơ đã chuyển từ" in page
    count = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c",
         "from dti.audit.models import AuditEvent; print(AuditEvent.objects.filter(action='submission.state', "
         f"unit_code='so-noivu', campaign_id={campaign}, old='approved_by_leader', new='draft').count())"],
        cwd=ROOT, env=env, check=True, capture_output=True, text=True).stdout.split()[-1]
    assert count == "1"
