"""Demo: the national DTI (QĐ 922) for the demo province with Gia Lai's 2022 figures, the
Ministry's published 2022 result (dti/frameworks/reference/gialai-2022.csv) with its
reconciliation, and an improvement plan with tasks in every state.  Idempotent."""

from __future__ import annotations

import csv
import datetime as dt
import re
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from dti.campaigns.models import Campaign
from dti.campaigns.services import create_campaign
from dti.methodologies.models import FrameworkVersion
from dti.organisations.models import Unit
from dti.organisations.services import create_unit
from dti.submissions import services as entry

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "docs" / "examples" / "gialai-2022"
REFERENCE = ROOT / "dti" / "frameworks" / "reference" / "gialai-2022.csv"
CODE = "national-922-2022"
# The example's units: Gia Lai's figures go to the demo province; the two invented peers
# (only there for the Min-Max indicators) come along as units of their own.
UNITS = {"gialai": ("mh", None), "tinh-mau-cao": ("tinh-mau-a", "Tỉnh mẫu A (giả định, để so sánh Min-Max)"),
         "tinh-mau-thap": ("tinh-mau-b", "Tỉnh mẫu B (giả định, để so sánh Min-Max)")}


def _typed(raw: str) -> str:
    """The example's '0.2' as a person types it in the form ('0,2'): a dot would read as thousands."""
    return raw.replace(".", ",") if re.fullmatch(r"-?\d+\.\d+", raw) else raw


def load(admin, *, today: dt.date, say) -> Campaign | None:
    framework = FrameworkVersion.objects.filter(code=CODE).order_by("-revision").first()
    province = Unit.objects.filter(code="mh").first()
    if framework is None or province is None:
        return None
    existing = Campaign.objects.filter(framework__code=CODE).first()
    if existing is not None:
        say("  đợt DTI cấp tỉnh (QĐ 922), kết quả Bộ công bố và kế hoạch: đã có")
        return existing
    from dti.plans import workflow
    from dti.plans.models import Progress, Task
    from dti.plans.services import add_comment, create_plan, draft_tasks
    from dti.published.services import import_published

    with transaction.atomic():
        units = []
        for target, name in UNITS.values():
            unit = Unit.objects.filter(code=target).first() or create_unit(code=target, name=name or target, level="tinh")
            units.append(unit)
        so_tttt = Unit.objects.filter(code="so-tttt").first()
        campaign = create_campaign(
            name="Chỉ số chuyển đổi số cấp tỉnh năm 2022 (QĐ 922, số liệu mẫu theo Gia Lai)", framework=framework,
            year=2022, period_start=dt.date(2022, 1, 1), period_end=dt.date(2022, 12, 31),
            entry_deadline=today + dt.timedelta(days=30), review_deadline=today + dt.timedelta(days=45),
            lead_unit=so_tttt, units=units, user=admin)
        values: dict[str, dict[str, str]] = {}
        with open(EXAMPLE / "data.csv", newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                values.setdefault(UNITS[row["unit"]][0], {})[row["field"]] = _typed(row["value"])
        for submission in campaign.submissions.select_related("unit", "campaign__framework"):
            entry.save_entry(submission, user=admin, values=values.get(submission.unit.code, {}))
        # the grand total as the Ministry printed it (the reference file holds indicators only)
        published = (REFERENCE.read_text(encoding="utf-8").rstrip("\n") + "\ntotal,407.10,1000,Tổng điểm\n").encode()
        import_published(campaign, SimpleUploadedFile("gialai-2022.csv", published), user=admin, unit=province,
                         source="Bộ TT&TT công bố Chỉ số DTI 2022 (Gia Lai: 407,10 điểm)")
    owner = so_tttt or province
    drafts, baseline = draft_tasks(campaign, province, owner, minimum_gain=0.5)
    with transaction.atomic():
        plan = create_plan(campaign, province, owner, user=admin, decision="Kế hoạch số …/KH-UBND (mẫu)",
                           name="Kế hoạch nâng cao Chỉ số chuyển đổi số của tỉnh năm 2023", drafts=drafts,
                           baseline_total=baseline)
        tasks = list(plan.tasks.order_by("position"))
        roles = {workflow.OWNER}
        # every state: in progress, done, overdue (a deadline passed, not done), not started
        for task in tasks[0:6]:
            workflow.run(task, "start", user=admin, roles=roles, expected=None)
        for task in tasks[6:10]:
            workflow.run(task, "finish", user=admin, roles=roles, expected=None)
        for task in tasks[10:14]:
            Task.objects.filter(pk=task.pk).update(deadline=today - dt.timedelta(days=15))
        if tasks:
            Progress.objects.create(task=tasks[0], author=admin, agency=tasks[0].lead,
                                    text="Đã rà soát số liệu, dự kiến hoàn thành trong quý.")
            add_comment(tasks[0], user=admin, text="Đề nghị gửi kèm văn bản chỉ đạo.")
    say(f"  đợt {campaign.name}: đã tạo, kết quả Bộ công bố và kế hoạch {len(tasks)} nhiệm vụ")
    return campaign
