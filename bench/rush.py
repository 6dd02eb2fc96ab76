"""Deadline rush: 500 units save their drafts and submit within about a minute, through a real server.

    python bench/rush.py            # PostgreSQL (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/dti;
                                    # uses a fresh '<name>_rush' database)

A gunicorn server (--workers processes × --threads threads) on loopback; --clients concurrent
clients.  Each unit: its reporter opens the form once, saves three drafts (a third of the
fields each, carrying what the page showed), its leader approves, the reporter submits.
Some units are edited by two people at once (--pairs: the leader saves other fields and one
of the reporter's, from a page loaded before the reporter's saves), some submits are
double-clicked (--double: three parallel POSTs).

Then it checks the database against what every request sent:
- lost: a value a successful request saved (and that was not reported to its author as a
  conflict) that is neither in the database nor followed by a later recorded change;
- phantom: a recorded change nobody sent (what a lost update looks like in the audit trail);
- transitions: each submission has exactly one submit transition.
Targets: 0 lost, 0 phantom, 0 server errors, p95 ≤ 500 ms.  The last line is JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import secrets
import subprocess
import sys
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
from web import Client, free_port, stop, wait_for  # noqa: E402  (the same plain-HTTP client as bench/web.py)

TARGET_P95_MS = 500
ORIGINAL = re.compile(r'name="o:(f:[^"]+)" value="([^"]*)"')
CONFLICT = re.compile(r'data-use-name="([^"]+)"')


def database_url() -> tuple[str, str]:
    url = urllib.parse.urlparse(os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/dti"))
    name = (url.path.lstrip("/") or "dti") + "_rush"
    import psycopg

    with psycopg.connect(url._replace(path="/postgres").geturl(), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return url._replace(path="/" + name).geturl(), name


def build(units: int) -> dict:
    """Units, a campaign in draft, a reporter and a leader per unit, each with a signed-in session."""
    import datetime as dt

    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.core.management import call_command
    from django.utils import timezone
    from django.utils.module_loading import import_string

    from dti.accounts.models import Role, RoleAssignment
    from dti.campaigns.services import create_campaign
    from dti.methodologies.selectors import compiled_for
    from dti.methodologies.services import create_version
    from dti.organisations.models import Unit
    from dti.site.demo import unit_values

    call_command("migrate", verbosity=0)
    framework = create_version((ROOT / "dti" / "frameworks" / "hcm-79-so.yaml").read_text(encoding="utf-8"))
    compiled = compiled_for(framework)
    root = Unit.objects.create(code="rush-root", name="Tỉnh thử tải", level_id="tinh", path="/rush-root/")
    Unit.objects.bulk_create([Unit(code=f"rush-{i:04d}", name=f"Sở thử tải {i:04d}", level_id="so", parent=root,
                                   ranking_group="Sở", path=f"/rush-root/rush-{i:04d}/") for i in range(units)])
    today = timezone.localdate()
    campaign = create_campaign(
        name="Rush", framework=framework, year=2026, period_start=dt.date(2026, 1, 1), period_end=dt.date(2026, 12, 31),
        entry_deadline=today + dt.timedelta(days=1), review_deadline=today + dt.timedelta(days=10),
        units=list(Unit.objects.filter(level_id="so", code__startswith="rush-").order_by("code")),
    )
    User = get_user_model()
    store = import_string(settings.SESSION_ENGINE + ".SessionStore")
    backend = "django.contrib.auth.backends.ModelBackend"
    people, pool = {}, [unit_values(compiled, "so", f"rush-{i}", "Sở", seed=i, year=2026) for i in range(31)]
    general = {name for name in compiled.fields if name.startswith("info.")}
    for i, unit in enumerate(Unit.objects.filter(level_id="so", code__startswith="rush-").order_by("code")):
        sessions = {}
        for role in (Role.REPORTER, Role.LEADER):
            user = User.objects.create(username=f"{role}.{unit.code}", first_name=f"{role} {unit.code}")
            RoleAssignment.objects.create(user=user, role=role, unit=unit)
            session = store()
            session[SESSION_KEY], session[BACKEND_SESSION_KEY] = str(user.pk), backend
            session[HASH_SESSION_KEY] = user.get_session_auth_hash()
            session.create()
            sessions[role] = (user.username, session.session_key)
        values = {k: v for k, v in pool[i % len(pool)].items() if k not in general}
        other = {k: v for k, v in pool[(i + 7) % len(pool)].items() if k in values and v != values[k]}
        people[unit.code] = {"sessions": sessions, "values": values, "other": other}
    return {"campaign": campaign.pk, "units": people}


class Log:
    def __init__(self):
        self.lock = threading.Lock()
        self.requests: list[tuple[str, int, float]] = []  # (kind, status, seconds)
        self.sent: list[tuple[str, str, str, str]] = []  # (unit, username, field, value) of successful saves
        self.conflicts: set[tuple[str, str, str]] = set()  # (unit, username, field) reported to its author

    def add(self, kind, status, elapsed):
        with self.lock:
            self.requests.append((kind, status, elapsed))


def signed_in(port: int, session_key: str) -> Client:
    client = Client(port)
    client.cookies["sessionid"] = session_key
    client.cookies["csrftoken"] = secrets.token_hex(16)  # a 32-character secret, echoed in X-CSRFToken
    return client


def run_unit(port: int, campaign: int, code: str, person: dict, log: Log, *, pair: bool, double: bool) -> None:
    entry = f"/campaigns/{campaign}/units/{code}/"
    reporter_name, reporter_session = person["sessions"]["reporter"]
    leader_name, leader_session = person["sessions"]["leader"]
    reporter, leader = signed_in(port, reporter_session), signed_in(port, leader_session)

    def request(client, kind, method, path, body=None):
        status, payload, elapsed = client.request(method, path, body)
        log.add(kind, status, elapsed)
        return status, payload

    def save(client, username, shown: dict, fields: dict) -> None:
        body = {f"f:{k}": v for k, v in fields.items()}
        body.update({f"o:f:{k}": shown.get(f"f:{k}", "") for k in fields})
        status, payload = request(client, "save", "POST", entry, body)
        conflicted = set()
        if status == 409:
            conflicted = {key[2:] for key in CONFLICT.findall(payload.decode()) if key.startswith("f:")}
            with log.lock:
                log.conflicts.update((code, username, name) for name in conflicted)
        if status in (302, 409):
            with log.lock:
                log.sent.extend((code, username, k, v) for k, v in fields.items() if k not in conflicted)
            for k, v in fields.items():
                if k not in conflicted:
                    shown[f"f:{k}"] = v  # what this person's page now holds

    def page(client) -> dict:
        _status, payload = request(client, "form", "GET", entry)
        return dict(ORIGINAL.findall(payload.decode()))

    values = list(person["values"].items())
    thirds = [dict(values[i::3]) for i in range(3)]
    leader_thread = None
    if pair:
        leader_shown = page(leader)  # loaded before the reporter's saves: its view goes stale
        other = list(person["other"].items())
        shared = {k: v for k, v in other if k in thirds[0]}
        leader_fields = dict(other[:4]) | dict(list(shared.items())[:1])

        def leader_edits():
            save(leader, leader_name, leader_shown, leader_fields)

        leader_thread = threading.Thread(target=leader_edits)
    shown = page(reporter)
    for index, fields in enumerate(thirds):
        if index == 0 and leader_thread is not None:
            leader_thread.start()
        save(reporter, reporter_name, shown, fields)
    if leader_thread is not None:
        leader_thread.join()
    request(leader, "approve", "POST", f"{entry}approve/", {"state": "draft"})
    if double:
        clicks = [threading.Thread(target=request, args=(reporter, "submit", "POST", f"{entry}submit/",
                                                         {"state": "approved_by_leader"})) for _ in range(3)]
        for click in clicks:
            click.start()
        for click in clicks:
            click.join()
    else:
        request(reporter, "submit", "POST", f"{entry}submit/", {"state": "approved_by_leader"})


def check(campaign: int, log: Log) -> dict:
    """Compare the database and its audit trail with what every request sent."""
    from dti.audit.models import AuditEvent
    from dti.submissions.models import State, Submission, Value

    final = {(s, f): raw for s, f, raw in Value.objects.filter(submission__campaign_id=campaign)
             .values_list("submission__unit__code", "field", "raw")}
    events = list(AuditEvent.objects.filter(campaign_id=campaign, action="value.change").order_by("at", "id")
                  .values_list("unit_code", "username", "field", "new"))
    sent = set(log.sent)
    recorded = {(u, who, f, new) for u, who, f, new in events}
    last: dict[tuple[str, str], str] = {}
    for u, _who, f, new in events:
        last[(u, f)] = new
    lost = 0
    for u, who, f, v in sent:
        # Saved by a successful request: recorded as its author's change (or it was already there),
        # and the field ends either with that value or with a later recorded change.
        if (u, who, f, v) not in recorded and final.get((u, f)) != v:
            lost += 1
    lost += sum(1 for (u, f), new in last.items() if final.get((u, f), "") != new)
    phantom = sum(1 for key in recorded if key not in sent)
    states = dict(Submission.objects.filter(campaign_id=campaign).values_list("unit__code", "state"))
    submits: dict[str, int] = {}
    for unit in AuditEvent.objects.filter(campaign_id=campaign, action="submission.state",
                                          new=State.SUBMITTED).values_list("unit_code", flat=True):
        submits[unit] = submits.get(unit, 0) + 1
    return {
        "values_sent": len(sent), "lost": lost, "phantom": phantom,
        "conflicts_reported": len(log.conflicts),
        "submitted": sum(1 for s in states.values() if s == State.SUBMITTED),
        "units": len(states),
        "submits_not_once": sum(1 for unit in states if submits.get(unit, 0) != 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--units", type=int, default=500)
    parser.add_argument("--clients", type=int, default=24, help="units worked on at the same time")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1), help="gunicorn processes")
    parser.add_argument("--threads", type=int, default=2, help="gunicorn threads per process")
    parser.add_argument("--pairs", type=float, default=0.1, help="share of units edited by two people at once")
    parser.add_argument("--double", type=float, default=0.1, help="share of units whose submit is double-clicked")
    parser.add_argument("--max-seconds", type=float, default=240.0, help="stop starting new units after this")
    args = parser.parse_args()
    url, name = database_url()
    env = dict(os.environ, DATABASE_URL=url, DJANGO_SETTINGS_MODULE="dti.site.settings", DTI_DEBUG="0",
               DTI_SECRET_KEY=os.environ.get("DTI_SECRET_KEY", secrets.token_urlsafe(40)),
               PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    os.environ.update(env)
    print(f"DTI rush — PostgreSQL '{name}', {args.units} units, {args.clients} clients, gunicorn "
          f"{args.workers} × {args.threads}", flush=True)
    started = time.perf_counter()
    info = build(args.units)
    print(f"  dữ liệu: {time.perf_counter() - started:.1f} s", flush=True)
    from django.db import connections

    connections.close_all()
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "dti.site.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", str(args.workers), "--threads", str(args.threads), "--worker-class", "gthread",
         "--timeout", "60", "--log-level", "warning"], env=env, cwd=ROOT,
    )
    log = Log()
    try:
        wait_for(port, attempts=200)
        rng = random.Random(2026)
        codes = sorted(info["units"])
        pairs = set(rng.sample(codes, int(len(codes) * args.pairs)))
        doubles = set(rng.sample(codes, int(len(codes) * args.double)))
        # Every process scores the campaign once (as after a deploy), outside the timed rush.
        warm = signed_in(port, info["units"][codes[0]]["sessions"]["reporter"][1])
        for _ in range(args.workers * 2):
            warm.request("GET", f"/campaigns/{info['campaign']}/units/{codes[0]}/")
        deadline = time.perf_counter() + args.max_seconds
        rush_started = time.perf_counter()

        def one(code):
            if time.perf_counter() > deadline:
                return
            run_unit(port, info["campaign"], code, info["units"][code], log, pair=code in pairs,
                     double=code in doubles)

        with ThreadPoolExecutor(args.clients) as pool:
            list(pool.map(one, codes))
        rush_seconds = time.perf_counter() - rush_started
    finally:
        stop(server, timeout=15)
    latencies = sorted(e for _k, _s, e in log.requests)
    server_errors = sum(1 for _k, s, _e in log.requests if s >= 500)
    unexpected = sum(1 for k, s, _e in log.requests if (k, s) not in {
        ("form", 200), ("save", 302), ("save", 409), ("approve", 302), ("submit", 302)})

    def pct(q):
        return round(latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000, 1) if latencies else None

    by_kind = {}
    for kind in ("form", "save", "approve", "submit"):
        times = sorted(e for k, _s, e in log.requests if k == kind)
        if times:
            by_kind[kind] = {"requests": len(times), "p50_ms": round(times[len(times) // 2] * 1000, 1),
                             "p95_ms": round(times[min(len(times) - 1, int(0.95 * len(times)))] * 1000, 1)}
    result = {"bench": "rush", "units": args.units, "clients": args.clients, "workers": args.workers,
              "threads": args.threads, "seconds": round(rush_seconds, 1), "requests": len(latencies),
              "server_errors": server_errors, "unexpected_status": unexpected, "p50_ms": pct(0.5), "p95_ms": pct(0.95),
              "pages": by_kind, **check(info["campaign"], log)}
    result["ok"] = (result["lost"] == 0 and result["phantom"] == 0 and server_errors == 0
                    and result["submits_not_once"] == 0 and (result["p95_ms"] or 0) <= TARGET_P95_MS)
    print(f"  {result['requests']} requests in {result['seconds']} s, {server_errors} server errors, "
          f"p50 {result['p50_ms']} ms, p95 {result['p95_ms']} ms; lost {result['lost']}, phantom {result['phantom']}, "
          f"conflicts reported {result['conflicts_reported']}, submitted {result['submitted']}/{result['units']}, "
          f"submit transitions ≠ 1: {result['submits_not_once']}", flush=True)
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
