"""Cold recompute: from an empty process cache to a ranked result, for a national-size campaign.

    python bench/recompute.py                  # SQLite (var/bench-recompute.sqlite3) and PostgreSQL
    python bench/recompute.py --units 2000,10000 --databases postgresql

Builds (once, reused while the sizes match) a campaign of N units of HCM QĐ 79 (Sở, about 80
inputs each) and its previous campaign, then for each size and database starts a fresh
process that times ``campaign_scores`` + the ranking groups (what the first person to open a
ranking after a deploy waits for), beside a floor measured in the same process: one plain
cursor ``SELECT`` of the same value rows (both campaigns).  It also times the old way (every
raw text parsed again by ``build_dataset``) for comparison, and prints the process's peak
memory.  Target: ≤ 1 s and ≤ 3 × the floor at 10,000 units on PostgreSQL.

With Redis on 127.0.0.1:6379 it also times what a new worker does in production
(``DTI_REDIS_URL``): one process builds the run and shares its parsed data
(dti/results/shared.py), then a fresh process goes from an empty process cache to a ranked
result by loading it ("chia sẻ").  Last line: JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
TARGET_SECONDS, TARGET_RATIO = 1.0, 3.0


def build(units: int) -> tuple[int, int]:
    """(campaign id, previous campaign id) with ``units`` Sở each, every field filled."""
    import datetime as dt

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction

    from dti.campaigns.models import Campaign
    from dti.campaigns.services import create_campaign
    from dti.methodologies.models import FrameworkVersion
    from dti.methodologies.selectors import compiled_for
    from dti.methodologies.services import create_version
    from dti.organisations.models import Unit
    from dti.site.demo import unit_values
    from dti.submissions.models import State, Submission, Value
    from dti.submissions.services import validate_raw

    call_command("migrate", verbosity=0)
    name = f"Recompute {units}"
    current = Campaign.objects.filter(name=name).first()
    if current is not None and current.previous_id and current.submissions.count() == units:
        return current.pk, current.previous_id
    text = (ROOT / "dti" / "frameworks" / "hcm-79-so.yaml").read_text(encoding="utf-8")
    framework = FrameworkVersion.objects.filter(code="hcm-79-so").first() or create_version(text)
    compiled = compiled_for(framework)
    started = time.perf_counter()
    prefix = f"rc{units}-"
    with transaction.atomic():
        Campaign.objects.filter(name__in=[name, name + " (trước)"]).delete()
        Unit.objects.filter(code__startswith=prefix).delete()
        root = Unit.objects.create(code=prefix + "root", name="Tỉnh đo", level_id="tinh", path=f"/{prefix}root/")
        Unit.objects.bulk_create([Unit(code=f"{prefix}{i:05d}", name=f"Sở đo {i:05d}", level_id="so", parent=root,
                                       ranking_group="Sở", path=f"/{prefix}root/{prefix}{i:05d}/")
                                  for i in range(units)], batch_size=2000)
    members = list(Unit.objects.filter(code__startswith=prefix, level_id="so").order_by("code"))
    pool = [unit_values(compiled, "so", f"u{i}", "Sở", seed=i, year=2025) for i in range(53)]
    parsed = [[(field, raw, *validate_raw(compiled.fields[field], raw)) for field, raw in values.items()]
              for values in pool]
    ids: dict[str, Campaign] = {}
    for label, year, offset in ((" (trước)", 2024, 17), ("", 2025, 0)):
        campaign = create_campaign(
            name=name + label, framework=framework, year=year, period_start=dt.date(year, 1, 1),
            period_end=dt.date(year, 12, 31), entry_deadline=dt.date(year + 1, 1, 1),
            review_deadline=dt.date(year + 1, 2, 1), units=members, previous=ids.get("previous"))
        ids["previous" if label else "current"] = campaign
        rows = []
        for index, submission in enumerate(Submission.objects.filter(campaign=campaign).order_by("unit__code")):
            for field, raw, number, error in parsed[(index + offset) % len(parsed)]:
                rows.append(Value(submission_id=submission.pk, field=field, raw=raw, number=number, error=error))
            if len(rows) >= 50000:
                Value.objects.bulk_create(rows, batch_size=10000)
                rows = []
        Value.objects.bulk_create(rows, batch_size=10000)
        Submission.objects.filter(campaign=campaign).update(state=State.PUBLISHED if label else State.SUBMITTED)
    print(f"  dữ liệu {units} đơn vị × 2 đợt: {time.perf_counter() - started:.0f} s", flush=True)
    return ids["current"].pk, ids["previous"].pk


def measure(campaign_id: int, previous_id: int) -> dict:
    """In a fresh process: floor, cold recompute, the old parse-everything way, peak memory."""
    import resource

    import django

    django.setup()
    from django.db import connection

    from dti.campaigns.models import Campaign
    from dti.engine.data import Unit as EngineUnit
    from dti.engine.data import build_dataset
    from dti.methodologies.selectors import compiled_for
    from dti.results.selectors import campaign_scores
    from dti.submissions.models import Submission, Value

    campaign = Campaign.objects.select_related("framework").get(pk=campaign_id)
    compiled_for(campaign.framework)  # the compiled framework is cached per process too; not what is timed
    connection.ensure_connection()
    table = Value._meta.db_table
    started = time.perf_counter()
    rows = 0
    with connection.cursor() as cursor:
        for cid in (campaign_id, previous_id):
            cursor.execute(f"SELECT submission_id, field, raw, verified_raw FROM {table} WHERE submission_id IN "
                           f"(SELECT id FROM submissions_submission WHERE campaign_id = %s)", [cid])
            rows += len(cursor.fetchall())
    floor = time.perf_counter() - started
    base_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    scores = campaign_scores(campaign)
    groups = scores.groups
    first = groups[0].rows[0] if groups and len(groups[0]) else None
    cold = time.perf_counter() - started
    peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # The old way, for comparison: every raw text of both campaigns parsed again.
    started = time.perf_counter()
    compiled = compiled_for(campaign.framework)
    for cid in (campaign_id, previous_id):
        subs = list(Submission.objects.filter(campaign_id=cid).values_list("id", "unit__code", "unit__name",
                                                                           "unit__level_id"))
        units = [EngineUnit(id=code, name=n, level=lv) for _sid, code, n, lv in subs]
        code = {sid: c for sid, c, _n, _lv in subs}
        records = [(code[sid], f, raw) for sid, f, raw in Value.objects.filter(submission__campaign_id=cid)
                   .values_list("submission_id", "field", "raw")]
        build_dataset(compiled, units, records, vietnamese=True)
    parse_all = time.perf_counter() - started
    return {"rows": rows, "floor_seconds": round(floor, 3), "cold_seconds": round(cold, 3),
            "ratio": round(cold / floor, 2) if floor else None, "old_parse_seconds": round(parse_all, 3),
            "peak_rss_mb": round(peak_rss / 1024, 1), "rss_before_mb": round(base_rss / 1024, 1),
            "first_rank": first.rank if first else None}


def measure_shared(campaign_id: int, build_first: int) -> dict:
    """In a fresh process with DTI_REDIS_URL: build and share (build_first=1), or load the shared run."""
    import django

    django.setup()
    from django.db import connection

    from dti.campaigns.models import Campaign
    from dti.methodologies.selectors import compiled_for
    from dti.results import shared
    from dti.results.selectors import campaign_scores

    campaign = Campaign.objects.select_related("framework").get(pk=campaign_id)
    compiled_for(campaign.framework)
    connection.ensure_connection()
    if not build_first and shared.load(campaign) is None:  # read outside the timing: not what a worker does
        raise SystemExit("no shared run to load: the building process did not share one")
    started = time.perf_counter()
    scores = campaign_scores(campaign)
    groups = scores.groups
    first = groups[0].rows[0] if groups and len(groups[0]) else None
    seconds = time.perf_counter() - started
    snapshot = shared.load(campaign)
    return {"seconds": round(seconds, 3), "shared_version": snapshot.version if snapshot else None,
            "version": scores.version, "first_rank": first.rank if first else None}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--units", default="2000,10000")
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--measure", nargs=2, type=int, help=argparse.SUPPRESS)
    parser.add_argument("--measure-shared", nargs=2, type=int, help=argparse.SUPPRESS)
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/6", help="for the shared-run figure ('' to skip)")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dti.site.settings")
    os.environ.setdefault("DTI_SECRET_KEY", "bench-only-" + "x" * 40)
    os.environ["DTI_DEBUG"] = "0"
    if args.measure:
        print(json.dumps(measure(*args.measure)))
        return 0
    if args.measure_shared:
        print(json.dumps(measure_shared(*args.measure_shared)))
        return 0
    results = []
    for database in args.databases.split(","):
        env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
        if database == "postgresql":
            url = urllib.parse.urlparse(os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/dti"))
            name = (url.path.lstrip("/") or "dti") + "_recompute"
            import psycopg

            with psycopg.connect(url._replace(path="/postgres").geturl(), autocommit=True) as conn:
                if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
                    conn.execute(f'CREATE DATABASE "{name}"')
            env["DATABASE_URL"] = url._replace(path="/" + name).geturl()
        else:
            env.pop("DATABASE_URL", None)
            (ROOT / "var").mkdir(exist_ok=True)
            env["DTI_SQLITE_PATH"] = str(ROOT / "var" / "bench-recompute.sqlite3")
        for size in (int(x) for x in args.units.split(",")):
            script = (f"import sys, json; sys.path.insert(0, {str(ROOT / 'bench')!r}); import recompute; "
                      f"print(json.dumps(recompute.build({size})))")
            ids = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True)
            for line in ids.stdout.splitlines()[:-1]:
                print(line, flush=True)
            campaign_id, previous_id = json.loads(ids.stdout.splitlines()[-1])
            run = subprocess.run([sys.executable, __file__, "--measure", str(campaign_id), str(previous_id)],
                                 env=env, capture_output=True, text=True, check=True)
            figures = {"database": database, "units": size, **json.loads(run.stdout.splitlines()[-1])}
            figures["shared_seconds"] = shared_figure(env, args.redis, campaign_id)
            results.append(figures)
            flag = "OK " if figures["cold_seconds"] <= TARGET_SECONDS and (figures["ratio"] or 0) <= TARGET_RATIO \
                else "   "
            print(f"  {flag}{database:<10} {size:>6} đơn vị: {figures['rows']:,} giá trị; nguội {figures['cold_seconds']} s "
                  f"(sàn {figures['floor_seconds']} s, ×{figures['ratio']}); cách cũ {figures['old_parse_seconds']} s; "
                  f"bộ nhớ đỉnh {figures['peak_rss_mb']} MB; tiến trình mới với dữ liệu chia sẻ (Redis) "
                  f"{figures['shared_seconds'] if figures['shared_seconds'] is not None else '—'} s", flush=True)
    target = next((r for r in results if r["database"] == "postgresql" and r["units"] == 10000), None)
    print(json.dumps({"bench": "recompute", "target_seconds": TARGET_SECONDS, "target_ratio": TARGET_RATIO,
                      "results": results,
                      "ok": bool(target and target["cold_seconds"] <= TARGET_SECONDS
                                 and target["ratio"] <= TARGET_RATIO),
                      # A new worker in production (Redis): from an empty process cache to a ranked result.
                      "ok_new_worker": bool(target and target["shared_seconds"] is not None
                                            and target["shared_seconds"] <= TARGET_SECONDS)}, ensure_ascii=False))
    return 0


def shared_figure(env: dict, redis_url: str, campaign_id: int) -> float | None:
    """Seconds for a fresh process to reach a ranked result from the run another process shared."""
    if not redis_url:
        return None
    import redis

    try:
        redis.Redis.from_url(redis_url).flushdb()
    except redis.exceptions.ConnectionError:
        return None
    env = dict(env, DTI_REDIS_URL=redis_url)
    figures = []
    for build_first in (1, 0):
        run = subprocess.run([sys.executable, __file__, "--measure-shared", str(campaign_id), str(build_first)],
                             env=env, capture_output=True, text=True, check=True)
        figures.append(json.loads(run.stdout.splitlines()[-1]))
    built, loaded = figures
    assert loaded["shared_version"] == loaded["version"] == built["version"], figures
    assert loaded["first_rank"] == built["first_rank"], figures
    return loaded["seconds"]


if __name__ == "__main__":
    sys.exit(main())
