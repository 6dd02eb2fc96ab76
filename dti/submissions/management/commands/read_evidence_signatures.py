"""Read the digital signatures of PDF evidence stored before they were read at upload, or again
(``--all``) after trust anchors were configured (DTI_TRUST_ROOTS)."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from dti.submissions.models import Evidence, Submission
from dti.submissions.signatures import read_signatures


class Command(BaseCommand):
    help = "Đọc chữ ký số của các tệp PDF minh chứng chưa được đọc (hoặc tất cả với --all)."

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="đọc lại cả các tệp đã đọc")

    def handle(self, *args, **options):
        items = Evidence.objects.filter(kind="pdf").order_by("pk")
        if not options["all"]:
            items = items.filter(signature_state="")
        counts: dict[str, int] = {}
        for pk in items.values_list("pk", flat=True).iterator():
            item = Evidence.objects.filter(pk=pk).first()
            if item is None:
                continue  # deleted meanwhile
            with item.file.open("rb") as handle:
                report = read_signatures(handle.read())
            with transaction.atomic():
                updated = Evidence.objects.filter(pk=pk, sha256=item.sha256).update(
                    signature_state=report.state, signatures=report.signatures)
                # Cached entry pages are keyed by the submission's updated_at.
                Submission.objects.filter(pk=item.submission_id).update(updated_at=timezone.now())
            if updated:
                counts[report.state] = counts.get(report.state, 0) + 1
        summary = ", ".join(f"{state}: {n}" for state, n in sorted(counts.items())) or "không có tệp nào"
        self.stdout.write(f"Đã đọc chữ ký số: {summary}")
