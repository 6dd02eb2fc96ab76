"""Open every KPI programme's reporting periods up to today (run daily, e.g. from cron)."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils import timezone

from dti.kpi.models import Programme
from dti.kpi.services import open_due_periods


class Command(BaseCommand):
    help = "Mở các kỳ báo cáo KPI đến kỳ hiện tại cho mọi chương trình giám sát (chạy hằng ngày)."

    def handle(self, *args, **options):
        today = timezone.localdate()
        for programme in Programme.objects.all():
            before = programme.periods.count()
            open_due_periods(programme, today=today)
            self.stdout.write(f"{programme.name}: {programme.periods.count() - before} kỳ mới")
