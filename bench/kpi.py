"""KPI dashboard benchmark: 27 KPIs × 60 monthly periods × 100 reporting units, 20 clients.

    python bench/kpi.py                       # SQLite (temporary database)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/dti python bench/kpi.py
                                              # PostgreSQL: a separate '<name>_kpibench' database

Builds Bình Định's KPI framework into a programme whose 27 KPIs are all reported monthly by
the same 100 units over 60 months (60 period campaigns, 6,000 reports, ~330,000 figures; the
last three months of ten units left unsent, so the overview has late agencies), starts the
server of bench/web.py, and measures with 20 clients in a closed loop: the programme's
dashboard (27 cards with sparklines, overview, late agencies), a KPI's page (chart, table of 60
periods × 100 units, history), and the dashboard right after an agency's save (the series are
recomputed once per process after every change).  Prints p50/p95; the last line is JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from web import Client, free_port, run_page, serve, stop, wait_for  # noqa: E402  (the harness of bench/web.py)

TARGET_P95_MS = 300
NAME = "Bench KPI"


def build(units: int, periods: int, clients: int) -> dict:

    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.utils import timezone

    from dti.accounts.models import Role, RoleAssignment
    from dti.engine.kpi import MONTH, period_containing
    from dti.kpi import services
    from dti.kpi.models import Programme
    from dti.methodologies.models import FrameworkVersion
    from dti.methodologies.selectors import compiled_for
    from dti.methodologies.services import create_version
    from dti.organisations.models import Unit
    from dti.submissions.models import State, Submission, Value
    from dti.submissions.services import validate_raw

    call_command("migrate", verbosity=0)
    today = timezone.localdate()
    programme = Programme.objects.filter(name=NAME).first()
    if programme is None or programme.periods.count() < periods:
        started = time.perf_counter()
        Programme.objects.filter(name=NAME).delete()
        text = (ROOT / "dti" / "frameworks" / "binhdinh-kpi-2023.yaml").read_text(encoding="utf-8")
        framework = FrameworkVersion.objects.filter(code="binhdinh-kpi-2023", derived_from__isnull=True).first() \
            or create_version(text)
        root = Unit.objects.filter(code="kb-root").first() or Unit.objects.create(
            code="kb-root", name="Tỉnh thử tải KPI", level_id="tinh", path="/kb-root/")
        if Unit.objects.filter(code__startswith="kb-u").count() != units:
            Unit.objects.filter(code__startswith="kb-u").delete()
            Unit.objects.bulk_create([Unit(code=f"kb-u{i:03d}", name=f"Cơ quan thử tải {i:03d}", level_id="so", parent=root,
                                           path=f"/kb-root/kb-u{i:03d}/") for i in range(units)])
        agencies = list(Unit.objects.filter(code__startswith="kb-u").order_by("code"))
        compiled = compiled_for(framework)
        codes = [leaf.code for leaf in compiled.leaves]
        programme = services.create_programme(
            name=NAME, framework=framework, owner=root, first_year=today.year - periods // 12,
            kpis={code: {"frequency": "month", "agencies": agencies} for code in codes})
        last = period_containing(MONTH, today).shift(-1)
        months = [last.shift(-i) for i in range(periods - 1, -1, -1)]
        for period in months:
            services.open_period(programme, period)
        for setting in programme.settings.all():
            for year in sorted({p.year for p in months}):
                services.set_target(setting, year=year, value=60 + (int(setting.code) % 5) * 8, decision="Bench")
        compiled = compiled_for(programme.framework)
        subs = list(Submission.objects.filter(campaign__kpi_period__programme=programme)
                    .select_related("unit", "campaign__kpi_period").order_by("campaign__period_start", "unit__code"))
        position = {str(p): i for i, p in enumerate(months)}
        late = {(u.pk, str(p)) for u in agencies[:10] for p in months[-3:]}
        rows = []
        for submission in subs:
            step = position[submission.campaign.kpi_period.period]
            if (submission.unit_id, submission.campaign.kpi_period.period) in late:
                continue
            seed = int(submission.unit.code[-3:])
            for code in codes:
                base = 50 + (seed * 7 + int(code) * 13) % 400
                share = min(1.0, 0.3 + 0.6 * step / periods + ((seed + int(code)) % 10) / 100)
                node = compiled.nodes[code]
                variables = [i.var for i in node.indicator.inputs]
                if variables == ["a"]:
                    raws = {"a": "1" if share > 0.6 else "0"}
                elif variables == ["a1", "a2", "b"]:
                    raws = {"a1": str(int(base * share)), "a2": str(int(base * share * 0.5)), "b": str(base)}
                else:
                    raws = {"a": str(int(base * share)), "b": str(base)}
                for var, raw in raws.items():
                    name = f"{code}.{var}"
                    number, error = validate_raw(compiled.fields[name], raw)
                    rows.append(Value(submission=submission, field=name, raw=raw, number=number, error=error))
            if len(rows) > 20000:
                Value.objects.bulk_create(rows, batch_size=5000)
                rows = []
        Value.objects.bulk_create(rows, batch_size=5000)
        Submission.objects.filter(campaign__kpi_period__programme=programme).update(state=State.SUBMITTED)
        for unit_id, late_period in late:
            Submission.objects.filter(campaign__kpi_period__programme=programme, campaign__kpi_period__period=late_period,
                                      unit_id=unit_id).update(state=State.DRAFT)
        count = Value.objects.filter(submission__campaign__kpi_period__programme=programme).count()
        print(f"  dữ liệu: {len(codes)} chỉ số × {periods} kỳ × {units} đơn vị, {len(subs)} báo cáo, {count} giá trị "
              f"({time.perf_counter() - started:.1f} s)", flush=True)
    User = get_user_model()
    password = make_password("bench")
    admin, _ = User.objects.get_or_create(username="kpibench-admin")
    admin.password = password
    admin.save()
    RoleAssignment.objects.get_or_create(user=admin, role=Role.ASSESSMENT_ADMIN, unit=None)
    # The agency whose current-month report is saved in the "dashboard after a save" run.
    current = services.open_period(programme, period_containing(MONTH, today))
    unit = Unit.objects.filter(code__startswith="kb-u").order_by("-code")[0]
    reporter, _ = User.objects.get_or_create(username="kpibench-reporter")
    reporter.password = password
    reporter.save()
    RoleAssignment.objects.get_or_create(user=reporter, role=Role.REPORTER, unit=unit)
    codes = list(programme.settings.values_list("code", flat=True))
    return {"programme": programme.pk, "admin": admin.username, "reporter": reporter.username, "codes": codes,
            "current": current.period, "unit": unit.code}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--units", type=int, default=100)
    parser.add_argument("--periods", type=int, default=60)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1), help="server processes")
    parser.add_argument("--threads", type=int, default=2, help="concurrent requests per server process")
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--pages", default="dashboard,indicator,dashboard_after_save")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dti.site.settings")
    if args.serve:
        serve(args.serve, args.workers, args.threads)
        return 0
    env = dict(os.environ)
    env["DTI_DEBUG"] = "0"
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    tmp = Path(tempfile.mkdtemp(prefix="dti-kpibench-"))
    env["DTI_MEDIA_ROOT"] = str(tmp / "media")
    if os.environ.get("DATABASE_URL"):
        database = "postgresql"
        url = urllib.parse.urlparse(os.environ["DATABASE_URL"])
        name = (url.path.lstrip("/") or "dti") + "_kpibench"
        env["DATABASE_URL"] = url._replace(path="/" + name).geturl()
        import psycopg

        with psycopg.connect(url._replace(path="/postgres").geturl(), autocommit=True) as conn:
            if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
                conn.execute(f'CREATE DATABASE "{name}"')
    else:
        database = "sqlite"
        env["DTI_SQLITE_PATH"] = str(tmp / "kpibench.sqlite3")
    os.environ.update(env)
    print(f"DTI KPI bench — {database}, 27 KPIs × {args.periods} periods × {args.units} units, {args.clients} clients, "
          f"{args.workers} server processes × {args.threads} threads", flush=True)
    info = build(args.units, args.periods, args.clients)
    from django.db import connections

    connections.close_all()
    port = free_port()
    server = subprocess.Popen([sys.executable, __file__, "--serve", str(port), "--workers", str(args.workers),
                               "--threads", str(args.threads)], env=env)
    results = {}
    try:
        wait_for(port)
        pk = info["programme"]
        viewers = [Client(port) for _ in range(args.clients)]
        for c in viewers:
            c.login(info["admin"], "bench")
        reporter = Client(port)
        reporter.login(info["reporter"], "bench")
        dashboard = f"/kpi/{pk}/"
        started = time.perf_counter()
        run_page("warm", viewers, lambda i, rng: ("GET", dashboard, None), 3.0, {200})
        print(f"  khởi động (tính chuỗi số liệu trong mỗi tiến trình): {time.perf_counter() - started:.1f} s", flush=True)
        report = f"/kpi/{pk}/reports/{info['unit']}/{info['current']}/"
        counter = [0]

        def after_save(i, rng):
            if i == 0:  # one agency saves all the time; every save changes the series
                counter[0] += 1
                reporter.request("POST", report, {"f:7.a": str(counter[0] % 50), "f:7.b": "50"})
            return ("GET", dashboard, None)

        pages = {
            "dashboard": (lambda i, rng: ("GET", dashboard, None)),
            "indicator": (lambda i, rng: ("GET", f"/kpi/{pk}/kpi/{rng.choice(info['codes'])}/", None)),
            "dashboard_after_save": after_save,
        }
        for name in args.pages.split(","):
            make = pages[name]
            run_page(name, viewers, make, 1.0, {200})
            results[name] = r = run_page(name, viewers, make, args.seconds, {200})
            flag = "OK " if r.get("p95_ms", 1e9) <= TARGET_P95_MS else "CHẬM"
            print(f"  {flag} {name:<22} p50 {r.get('p50_ms')} ms  p95 {r.get('p95_ms')} ms  {r.get('rps')} req/s  "
                  f"{r['requests']} requests  {r['errors']} errors", flush=True)
    finally:
        stop(server)
        shutil.rmtree(tmp, ignore_errors=True)
    print(json.dumps({
        "bench": "kpi", "database": database, "kpis": 27, "periods": args.periods, "units": args.units,
        "clients": args.clients, "workers": args.workers, "threads": args.threads, "seconds": args.seconds,
        "target_p95_ms": TARGET_P95_MS, "pages": results,
        "ok": all(r.get("p95_ms", 1e9) <= TARGET_P95_MS and r["errors"] == 0 for r in results.values()),
    }, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
