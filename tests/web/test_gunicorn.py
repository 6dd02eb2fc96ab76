"""Several gunicorn worker processes: what one process changes, every other one sees at once.

A real server (2 sync workers, one shared SQLite file, loopback), driven over HTTP; the
requests land on either worker.  Slow for a unit test (a few seconds), so there are few.
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
from http.cookies import SimpleCookie
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = shutil.which("gunicorn", path=str(Path(sys.executable).parent))

pytestmark = [
    pytest.mark.skipif(GUNICORN is None, reason="gunicorn is in requirements.txt"),
    # About processes, not the database: run once, in the SQLite pass of `make test`.
    pytest.mark.skipif(bool(os.environ.get("DATABASE_URL")), reason="runs in the SQLite pass"),
    # One xdist worker runs the whole module: its servers are started once (module fixture).
    pytest.mark.xdist_group("servers"),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    var = tmp_path_factory.mktemp("gunicorn")
    env = {k: v for k, v in os.environ.items() if not k.startswith("DTI_") and k != "DATABASE_URL"}
    env.update(DJANGO_SETTINGS_MODULE="dti.site.settings", PYTHONPATH=str(ROOT), DTI_VAR_DIR=str(var),
               DTI_SECRET_KEY=secrets.token_urlsafe(50), DTI_DEBUG="0")
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True, timeout=300)
    subprocess.run([*manage, "load_demo"], cwd=ROOT, env=env, check=True, timeout=300, capture_output=True)
    port = free_port()
    process = subprocess.Popen([GUNICORN, "--workers", "2", "--bind", f"127.0.0.1:{port}", "--log-level", "warning",
                                "dti.site.wsgi:application"], cwd=ROOT, env=env)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            get(port, "/accounts/login/")
            break
        except OSError:
            time.sleep(0.2)
    yield port, env
    process.terminate()
    process.wait(timeout=30)


def request(port, method, path, body=None, cookies=None, headers=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)  # a new connection: any worker
    headers = dict(headers or {})
    if cookies:
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    connection.request(method, path, body=body, headers=headers)
    response = connection.getresponse()
    data = response.read().decode()
    set_cookies = {}
    for header in response.headers.get_all("Set-Cookie") or []:
        set_cookies.update({k: m.value for k, m in SimpleCookie(header).items()})
    connection.close()
    return response.status, data, set_cookies, response.headers


def get(port, path, cookies=None):
    return request(port, "GET", path, cookies=cookies)


def sign_in(port, username, password) -> dict:
    _status, page, cookies, _ = get(port, "/accounts/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    status, _page, new, _ = request(port, "POST", "/accounts/login/",
                                    body=f"username={username}&password={password}&csrfmiddlewaretoken={token}",
                                    cookies=cookies, headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 302
    return {**cookies, **new}


def in_another_process(env, code: str) -> str:
    done = subprocess.run([sys.executable, "manage.py", "shell", "-c", code], cwd=ROOT, env=env, check=True,
                          timeout=120, capture_output=True, text=True)
    return done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""


def test_a_change_committed_by_another_process_shows_in_every_worker_at_once(server):
    port, env = server
    campaign = in_another_process(env, "from dti.campaigns.models import Campaign; "
                                       "print(Campaign.objects.filter(results_published_at__isnull=False)"
                                       ".order_by('pk').first().pk)")
    cookies = sign_in(port, "admin", "admin")
    ranking = f"/campaigns/{campaign}/results/"
    for _ in range(12):  # both workers compute and cache the run and the rendered table
        status, page, _c, _h = get(port, ranking, cookies)
        assert status == 200 and "Sở Thông tin và Truyền thông" in page
    in_another_process(env, "from dti.organisations.models import Unit; "
                            "from dti.organisations.services import update_unit; "
                            "update_unit(Unit.objects.get(code='so-tttt'), name='Sở TT&TT (tên mới)')")
    pages = [get(port, ranking, cookies)[1] for _ in range(12)]
    assert all("Sở TT&amp;TT (tên mới)" in page for page in pages)


def test_sign_out_in_one_worker_ends_the_session_in_every_worker(server):
    server, _env = server
    cookies = sign_in(server, "admin", "admin")
    for _ in range(12):  # both workers read (and, with a per-process session cache, keep) the session
        assert get(server, "/", cookies)[0] == 200
    _status, page, _c, _ = get(server, "/", cookies)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    status, *_ = request(server, "POST", "/accounts/logout/", body=f"csrfmiddlewaretoken={token}", cookies=cookies,
                         headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 302
    statuses = [get(server, "/", cookies)[0] for _ in range(12)]
    assert statuses == [302] * 12  # signed out everywhere: every request goes to the sign-in page
