"""Web latency benchmark: a campaign of N units (default 2,000), 20 concurrent clients.

    python bench/web.py                       # SQLite (temporary database)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/dti python bench/web.py
                                              # PostgreSQL: uses a separate '<name>_bench' database

Builds the data, starts its own server (a pre-forking, threaded WSGI server from the
standard library, one worker per CPU), logs clients in, then for each page runs the
clients in a closed loop for --seconds (default 15) and prints p50/p95 latency.
Pages: the ranking, a unit's scorecard, the data-entry form, a draft save.
The last line of output is JSON.  Target: p95 ≤ 300 ms.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
TARGET_P95_MS = 300


# --------------------------------------------------------------------------- server


def serve(port: int, workers: int, threads: int = 2) -> None:
    """Pre-forking threaded WSGI server (stdlib only).

    ``workers`` processes × ``threads`` long-lived threads, each thread blocking in
    accept() on one shared listening socket: the kernel hands a connection to an idle
    thread, wherever it is, and threads keep their database connection (CONN_MAX_AGE)."""
    from wsgiref.simple_server import WSGIRequestHandler, WSGIServer

    import django

    django.setup()
    from django.db import connections

    from dti.site.wsgi import application  # the production entry point (it also sets the allocator)

    connections.close_all()

    class Quiet(WSGIRequestHandler):
        def log_message(self, *args):
            pass

    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", port))
    listener.listen(256)

    def run_worker() -> None:
        server = WSGIServer(("127.0.0.1", port), Quiet, bind_and_activate=False)
        server.socket.close()
        server.socket = listener
        server.server_name, server.server_port = "127.0.0.1", port
        server.setup_environ()
        server.set_app(application)

        def loop():
            while True:
                try:
                    connection, address = listener.accept()
                except OSError:
                    continue
                try:
                    Quiet(connection, address, server)
                except Exception:  # noqa: BLE001 - a broken client must not kill the thread
                    pass
                finally:
                    try:
                        connection.close()
                    except OSError:
                        pass

        pool = [threading.Thread(target=loop, daemon=True) for _ in range(threads)]
        for thread in pool:
            thread.start()
        for thread in pool:
            thread.join()

    children = []
    for _ in range(workers):
        pid = os.fork()
        if pid == 0:
            signal.signal(signal.SIGTERM, lambda *_a: os._exit(0))
            run_worker()
            os._exit(0)
        children.append(pid)

    def stop(*_args):
        for child in children:
            try:
                os.kill(child, signal.SIGTERM)
            except ProcessLookupError:
                pass
        for child in children:
            try:
                os.waitpid(child, 0)
            except ChildProcessError:
                pass
        os._exit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    for child in children:
        os.waitpid(child, 0)


# --------------------------------------------------------------------------- data


def build(units: int, clients: int) -> dict:
    import datetime as dt

    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.utils import timezone

    from dti.accounts.models import Role, RoleAssignment
    from dti.campaigns.models import Campaign
    from dti.campaigns.services import create_campaign
    from dti.methodologies.models import FrameworkVersion
    from dti.methodologies.selectors import compiled_for
    from dti.methodologies.services import create_version
    from dti.organisations.models import Unit
    from dti.site.demo import unit_values
    from dti.submissions.models import State, Submission, Value

    call_command("migrate", verbosity=0)
    text = (ROOT / "dti" / "frameworks" / "hcm-79-so.yaml").read_text(encoding="utf-8")
    framework = FrameworkVersion.objects.filter(code="hcm-79-so").first() or create_version(text)
    compiled = compiled_for(framework)
    campaign = Campaign.objects.filter(name="Bench").first()
    if campaign is None or campaign.submissions.count() != units:
        started = time.perf_counter()
        Campaign.objects.filter(name="Bench").delete()
        Unit.objects.filter(code__startswith="bench-").delete()
        root = Unit.objects.create(code="bench-root", name="Tỉnh thử tải", level_id="tinh", path="/bench-root/")
        Unit.objects.bulk_create(
            [Unit(code=f"bench-{i:05d}", name=f"Sở thử tải {i:05d}", level_id="so", parent=root,
                  ranking_group="Sở, ban, ngành", path=f"/bench-root/bench-{i:05d}/") for i in range(units)],
            batch_size=1000,
        )
        today = timezone.localdate()
        campaign = create_campaign(
            name="Bench", framework=framework, year=2024, period_start=dt.date(2024, 1, 1),
            period_end=dt.date(2024, 12, 31), entry_deadline=today + dt.timedelta(days=30),
            review_deadline=today + dt.timedelta(days=60),
            units=list(Unit.objects.filter(code__startswith="bench-", level_id="so").order_by("code")),
        )
        # A pool of plausible value sets (rejection sampling is the slow part), reused round-robin.
        pool = [unit_values(compiled, "so", f"bench-{i}", "Sở thử tải", seed=i, year=2024) for i in range(97)]
        subs = list(Submission.objects.filter(campaign=campaign).select_related("unit").order_by("unit__code"))
        rows = []
        for index, submission in enumerate(subs):
            for field, raw in pool[index % len(pool)].items():
                spec = compiled.fields[field]
                from dti.submissions.services import validate_raw

                number, error = validate_raw(spec, raw)
                rows.append(Value(submission=submission, field=field, raw=raw, number=number, error=error))
            if len(rows) > 20000:
                Value.objects.bulk_create(rows, batch_size=5000)
                rows = []
        Value.objects.bulk_create(rows, batch_size=5000)
        Submission.objects.filter(campaign=campaign).update(state=State.SUBMITTED)
        print(f"  dữ liệu: {units} đơn vị, {Value.objects.filter(submission__campaign=campaign).count()} giá trị "
              f"({time.perf_counter() - started:.1f} s)", flush=True)
    User = get_user_model()
    password = make_password("bench")
    admin, _ = User.objects.get_or_create(username="bench-admin")
    admin.password = password
    admin.save()
    RoleAssignment.objects.get_or_create(user=admin, role=Role.ASSESSMENT_ADMIN, unit=None)
    reporters = []
    codes = sorted(Unit.objects.filter(code__startswith="bench-", level_id="so").values_list("code", flat=True))
    for i in range(clients):
        code = codes[i]
        user, _ = User.objects.get_or_create(username=f"bench-{code}")
        user.password = password
        user.save()
        RoleAssignment.objects.get_or_create(user=user, role=Role.REPORTER, unit=Unit.objects.get(code=code))
        Submission.objects.filter(campaign=campaign, unit__code=code).update(state=State.DRAFT)
        reporters.append((user.username, code))
    return {"campaign": campaign.pk, "admin": admin.username, "reporters": reporters, "codes": codes}


# --------------------------------------------------------------------------- client


class Client:
    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: dict | None = None) -> tuple[int, bytes, float]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()), "Connection": "close"}
        data = None
        if body is not None:
            data = urllib.parse.urlencode(body).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["X-CSRFToken"] = self.cookies.get("csrftoken", "")
            headers["Referer"] = f"http://127.0.0.1:{self.port}/"
        started = time.perf_counter()
        connection.request(method, path, body=data, headers=headers)
        response = connection.getresponse()
        payload = response.read()
        elapsed = time.perf_counter() - started
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        connection.close()
        return response.status, payload, elapsed

    def login(self, username: str, password: str) -> None:
        status, page, _ = self.request("GET", "/accounts/login/")
        found = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert found is not None, f"no CSRF token on the login page (HTTP {status})"
        token = found.group(1).decode()
        status, _, _ = self.request("POST", "/accounts/login/",
                                    {"csrfmiddlewaretoken": token, "username": username, "password": password})
        if status != 302:
            raise RuntimeError(f"login failed for {username}: {status}")


def run_page(name, clients, make_request, seconds: float, expect: set[int]) -> dict:
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop = time.perf_counter() + seconds

    def worker(index, client):
        rng = random.Random(index)
        mine = []
        bad = 0
        while time.perf_counter() < stop:
            method, path, body = make_request(index, rng)
            try:
                status, _payload, elapsed = client.request(method, path, body)
            except OSError:
                bad += 1
                continue
            if status not in expect:
                bad += 1
            mine.append(elapsed)
        with lock:
            latencies.extend(mine)
            errors[0] += bad

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    latencies.sort()
    if not latencies:
        return {"requests": 0, "errors": errors[0]}
    p = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000  # noqa: E731
    return {
        "requests": len(latencies), "errors": errors[0], "rps": round(len(latencies) / seconds, 1),
        "p50_ms": round(p(0.50), 1), "p95_ms": round(p(0.95), 1), "max_ms": round(latencies[-1] * 1000, 1),
        "mean_ms": round(statistics.fmean(latencies) * 1000, 1),
    }


def stop(server: subprocess.Popen, timeout: float = 10) -> None:
    """Ends a benchmark server: politely (SIGTERM lets gunicorn finish its requests), then for good."""
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        server.kill()


def wait_for(port: int, attempts: int = 100) -> None:
    """Until the server accepts connections on ``port`` (or the attempts run out)."""
    for _ in range(attempts):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.1)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--units", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1), help="server processes")
    parser.add_argument("--threads", type=int, default=2, help="concurrent requests per server process")
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--pages", default="ranking,scorecard,entry,save",
                        help="comma-separated: ranking, scorecard, entry, save, form_after_save (a save, then the "
                             "form reloaded: measures the reload, with every client saving all the time)")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dti.site.settings")
    if args.serve:
        serve(args.serve, args.workers, args.threads)
        return 0

    env = dict(os.environ)
    env["DTI_DEBUG"] = "0"
    env.setdefault("DTI_SECRET_KEY", secrets.token_urlsafe(50))  # debug off needs one; this run's own
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    tmp = Path(tempfile.mkdtemp(prefix="dti-bench-"))
    env["DTI_MEDIA_ROOT"] = str(tmp / "media")
    if os.environ.get("DATABASE_URL"):
        database = "postgresql"
        url = urllib.parse.urlparse(os.environ["DATABASE_URL"])
        name = (url.path.lstrip("/") or "dti") + "_bench"
        env["DATABASE_URL"] = url._replace(path="/" + name).geturl()
        import psycopg

        admin_url = url._replace(path="/postgres").geturl()
        with psycopg.connect(admin_url, autocommit=True) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
            if not exists:
                conn.execute(f'CREATE DATABASE "{name}"')
    else:
        database = "sqlite"
        env["DTI_SQLITE_PATH"] = str(tmp / "bench.sqlite3")
    os.environ.update(env)
    print(f"DTI web bench — {database}, {args.units} units, {args.clients} clients, {args.workers} server processes "
          f"× {args.threads} threads",
          flush=True)
    info = build(args.units, args.clients)
    from django.db import connections

    connections.close_all()
    port = free_port()
    server = subprocess.Popen([sys.executable, __file__, "--serve", str(port), "--workers", str(args.workers),
                               "--threads", str(args.threads)], env=env)
    try:
        wait_for(port)
        campaign = info["campaign"]
        admins = [Client(port) for _ in range(args.clients)]
        for c in admins:
            c.login(info["admin"], "bench")
        reporters = []
        for username, code in info["reporters"]:
            c = Client(port)
            c.login(username, "bench")
            reporters.append((c, code))
        codes = info["codes"]
        ranking = f"/campaigns/{campaign}/results/"
        # Warm up every worker (each process scores the campaign once, then caches).
        started = time.perf_counter()
        run_page("warm", admins, lambda i, rng: ("GET", ranking, None), 3.0, {200})
        print(f"  khởi động (chấm điểm {args.units} đơn vị trong mỗi tiến trình): {time.perf_counter() - started:.1f} s",
              flush=True)
        pages = {
            "ranking": (admins, lambda i, rng: ("GET", f"{ranking}?page={rng.randint(1, max(1, args.units // 50))}", None),
                        {200}),
            "scorecard": (admins, lambda i, rng: ("GET", f"{ranking}{rng.choice(codes)}/", None), {200}),
            "entry": ([c for c, _ in reporters],
                      lambda i, rng: ("GET", f"/campaigns/{campaign}/units/{reporters[i][1]}/", None), {200}),
            "save": ([c for c, _ in reporters],
                     lambda i, rng: ("POST", f"/campaigns/{campaign}/units/{reporters[i][1]}/",
                                     {"f:1.2.a": str(rng.randint(1, 5)), "f:1.2.b": "5",
                                      "f:info.so_cong_chuc": str(rng.randint(10, 900)), "anchor": "i-1-2"}), {302}),
        }
        def save_then_form(i, rng):
            client, code = reporters[i]
            client.request("POST", f"/campaigns/{campaign}/units/{code}/",
                           {"f:1.2.a": str(rng.randint(1, 5)), "f:1.2.b": "5", "anchor": "i-1-2"})
            return ("GET", f"/campaigns/{campaign}/units/{code}/", None)

        pages["form_after_save"] = ([c for c, _ in reporters], save_then_form, {200})
        results = {}
        for name in args.pages.split(","):
            clients, make, expect = pages[name]
            run_page(name, clients, make, 1.0, expect)  # warm this page
            results[name] = run_page(name, clients, make, args.seconds, expect)
            r = results[name]
            flag = "OK " if r.get("p95_ms", 1e9) <= TARGET_P95_MS else "CHẬM"
            print(f"  {flag} {name:<10} p50 {r.get('p50_ms')} ms  p95 {r.get('p95_ms')} ms  "
                  f"{r.get('rps')} req/s  {r['requests']} requests  {r['errors']} errors", flush=True)
    finally:
        stop(server)
        shutil.rmtree(tmp, ignore_errors=True)
    summary = {
        "bench": "web", "database": database, "units": args.units, "clients": args.clients, "workers": args.workers, "threads": args.threads,
        "seconds": args.seconds, "target_p95_ms": TARGET_P95_MS, "pages": results,
        "ok": all(r.get("p95_ms", 1e9) <= TARGET_P95_MS and r["errors"] == 0 for r in results.values()),
    }
    print(json.dumps(summary, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
