"""Demo data: bundled frameworks, a province with units at every level, users for every
role, and campaigns with units in every workflow state.  Idempotent: running it again
changes nothing that exists (users' passwords are reset to the documented ones).
"""

from __future__ import annotations

import datetime as dt
import random

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from dti.accounts.models import Role, RoleAssignment
from dti.campaigns.models import Campaign
from dti.campaigns.services import create_campaign, mark_published
from dti.methodologies.models import FrameworkVersion
from dti.methodologies.selectors import compiled_for, form_layout
from dti.methodologies.services import BUNDLED_DIR, create_version, load_bundled
from dti.organisations.models import Unit
from dti.organisations.services import create_unit
from dti.review import services as review
from dti.site.demo import tiny_pdf, unit_values
from dti.submissions import services as entry
from dti.submissions.models import State

PROVINCE = ("mh", "UBND tỉnh Minh Hòa")
SO = [
    ("so-tttt", "Sở Thông tin và Truyền thông"),
    ("so-khcn", "Sở Khoa học và Công nghệ"),
    ("so-noivu", "Sở Nội vụ"),
    ("so-tc", "Sở Tài chính"),
    ("so-khdt", "Sở Kế hoạch và Đầu tư"),
    ("so-yte", "Sở Y tế"),
    ("so-gddt", "Sở Giáo dục và Đào tạo"),
    ("so-gtvt", "Sở Giao thông vận tải"),
    ("so-tnmt", "Sở Tài nguyên và Môi trường"),
    ("so-nnptnt", "Sở Nông nghiệp và Phát triển nông thôn"),
    ("so-ct", "Sở Công Thương"),
    ("so-xd", "Sở Xây dựng"),
    ("so-tp", "Sở Tư pháp"),
    ("so-ldtbxh", "Sở Lao động - Thương binh và Xã hội"),
    ("so-vhttdl", "Sở Văn hóa, Thể thao và Du lịch"),
]
# Target state of each Sở in the current campaign.
SO_STATES = {
    "so-tttt": State.DRAFT, "so-khcn": State.DRAFT, "so-noivu": State.APPROVED_BY_LEADER, "so-tc": State.SUBMITTED,
    "so-khdt": State.UNDER_REVIEW, "so-yte": State.RETURNED, "so-gddt": State.RESUBMITTED, "so-gtvt": State.APPROVED,
    "so-tnmt": State.PUBLISHED, "so-nnptnt": State.PUBLISHED, "so-ct": State.PUBLISHED, "so-xd": State.APPROVED,
    "so-tp": State.SUBMITTED, "so-ldtbxh": State.UNDER_REVIEW, "so-vhttdl": State.APPROVED_BY_LEADER,
}
HUYEN = [
    ("huyen-anphu", "UBND huyện An Phú", [("xa-anhoa", "UBND xã An Hòa"), ("xa-anloc", "UBND xã An Lộc"),
                                           ("tt-anphu", "UBND thị trấn An Phú")]),
    ("huyen-binhson", "UBND huyện Bình Sơn", [("xa-binhminh", "UBND xã Bình Minh"), ("xa-binhtan", "UBND xã Bình Tân"),
                                               ("xa-binhthanh", "UBND xã Bình Thạnh")]),
    ("tp-minhhoa", "UBND thành phố Minh Hòa", [("p-trungtam", "UBND phường Trung Tâm"), ("p-songhan", "UBND phường Sông Hàn"),
                                                ("xa-hoaphuoc", "UBND xã Hòa Phước"), ("xa-hoatien", "UBND xã Hòa Tiến")]),
]
PASSWORD = "demo"


class Command(BaseCommand):
    help = "Nạp dữ liệu mẫu: bộ chỉ số, đơn vị, tài khoản, đợt đánh giá ở mọi trạng thái (chạy lại không tạo trùng)."

    def add_arguments(self, parser):
        parser.add_argument("--quiet", action="store_true")

    def say(self, text):
        if not self.quiet:
            self.stdout.write(text)

    def handle(self, *args, quiet=False, **options):
        self.quiet = quiet
        self.today = timezone.localdate()
        with transaction.atomic():
            admin = self.users_admin()
            self.frameworks(admin)
            self.units()
            self.users()
        self.campaign_so(admin)
        self.public_results(admin)
        self.campaign_kontum(admin)
        self.kpi_programme(admin)
        self.national_plan(admin)
        self.recognition_demo(admin)  # after the KPI programme: its districts are not KPI agencies
        self.say(self.style.SUCCESS("Xong. Đăng nhập: admin/admin; các tài khoản khác mật khẩu 'demo' (xem dti/site/README-web.md)."))

    # ------------------------------------------------------------------ setup
    def users_admin(self):
        User = get_user_model()
        admin, created = User.objects.get_or_create(username="admin", defaults={"first_name": "Quản trị", "last_name": "hệ thống"})
        admin.is_staff = admin.is_superuser = True
        admin.set_password("admin")
        admin.save()
        RoleAssignment.objects.get_or_create(user=admin, role=Role.SYSTEM_ADMIN, unit=None)
        return admin

    def frameworks(self, admin):
        outcome = load_bundled(user=admin)
        for name, version, status in outcome:
            self.say(f"  bộ chỉ số {name}: {status if version is None else ('đã có' if status == 'exists' else 'đã nạp')}")
        if not FrameworkVersion.objects.exists():
            example = BUNDLED_DIR.parent.parent / "docs" / "examples" / "vidu" / "framework.yaml"
            create_version(example.read_text(encoding="utf-8"), user=admin)

    def unit(self, code, name, level, parent=None, group=""):
        unit = Unit.objects.filter(code=code).first()
        return unit or create_unit(code=code, name=name, level=level, parent=parent, ranking_group=group)

    def units(self):
        province = self.unit(*PROVINCE, "tinh")
        for code, name in SO:
            self.unit(code, name, "so", province, "Sở, ban, ngành")
        for code, name, communes in HUYEN:
            district = self.unit(code, name, "huyen", province, "Cấp huyện")
            for ccode, cname in communes:
                self.unit(ccode, cname, "xa", district, "Cấp xã")

    def users(self):
        User = get_user_model()
        hashed = make_password(PASSWORD)
        units = {u.code: u for u in Unit.objects.all()}

        def user(username, full_name, role, unit=None, subtree=False, campaign=None, units_=()):
            account, _ = User.objects.get_or_create(username=username)
            account.first_name = full_name
            account.password = hashed
            account.save()
            grant, _ = RoleAssignment.objects.get_or_create(user=account, role=role, unit=unit, campaign=campaign,
                                                            defaults={"include_subtree": subtree})
            if units_:
                grant.units.set(units_)
            return account

        user("quantri.so-tttt", "Quản trị đánh giá (Sở TT&TT)", Role.ASSESSMENT_ADMIN)
        user("thamdinh.so-tttt", "Thẩm định viên (Sở TT&TT)", Role.REVIEWER)
        user("quantri.so-khcn", "Quản trị đánh giá cấp huyện (Sở KH&CN)", Role.ASSESSMENT_ADMIN, units["mh"], True)
        user("thamdinh.so-khcn", "Thẩm định viên (Sở KH&CN)", Role.REVIEWER,
             units_=[units[code] for code, _n, _c in HUYEN])
        user("lanhdao.tinh", "Lãnh đạo UBND tỉnh", Role.VIEWER, units["mh"], True)
        for code, name in SO:
            short = name.replace("Sở ", "")
            user(f"bientap.{code}", f"Cán bộ nhập liệu {short}", Role.REPORTER, units[code])
            user(f"lanhdao.{code}", f"Lãnh đạo {short}", Role.LEADER, units[code])
            user(f"xem.{code}", f"Người xem {short}", Role.VIEWER, units[code])
        for code, name, communes in HUYEN:
            user(f"bientap.{code}", f"Cán bộ nhập liệu {name}", Role.REPORTER, units[code])
            user(f"lanhdao.{code}", f"Lãnh đạo {name}", Role.LEADER, units[code])
            # Phòng Văn hóa, Khoa học và Thông tin of the district checks its communes.
            user(f"thamdinh.{code}", f"Phòng VH-KH-TT {name}", Role.REVIEWER, units[code], True)
            for ccode, cname in communes:
                user(f"bientap.{ccode}", f"Cán bộ nhập liệu {cname}", Role.REPORTER, units[ccode])
                user(f"lanhdao.{ccode}", f"Lãnh đạo {cname}", Role.LEADER, units[ccode])

    # ------------------------------------------------------------------ campaigns
    def _framework(self, code):
        return FrameworkVersion.objects.filter(code=code).order_by("-revision").first()

    def fill(self, submission, admin, *, seed, year, today, fill=1.0, quality=None, evidence=True):
        compiled = compiled_for(submission.campaign.framework)
        unit = submission.unit
        values = unit_values(compiled, unit.level_id, unit.code, unit.name, seed=seed, year=year, fill=fill, quality=quality)
        reporter = get_user_model().objects.filter(username=f"bientap.{unit.code}").first() or admin
        files = {}
        if evidence:
            layout = form_layout(submission.campaign.framework, unit.level_id)
            rng = random.Random(seed)
            leaves = layout.evidence_leaves or [leaf for leaf in layout.leaves if not leaf.computed]
            for leaf in leaves:
                if rng.random() < 0.5 * fill:
                    files[leaf.code] = [SimpleUploadedFile(f"kiem-chung-{leaf.code}.pdf", tiny_pdf(f"{unit.code} {leaf.code}"),
                                                           content_type="application/pdf")]
        notes = {}
        if evidence:
            layout = form_layout(submission.campaign.framework, unit.level_id)
            if layout.leaves:
                notes[layout.leaves[0].code] = "Số liệu tổng hợp từ hệ thống quản lý văn bản và báo cáo của đơn vị."
        entry.save_entry(submission, user=reporter, values=values, notes=notes, files=files, today=today)
        return reporter

    def advance(self, submission, target, admin, *, today, rng):
        """Walk the submission through the workflow to ``target`` using the services."""
        unit = submission.unit
        User = get_user_model()
        leader = User.objects.filter(username=f"lanhdao.{unit.code}").first() or admin
        reporter = User.objects.filter(username=f"bientap.{unit.code}").first() or admin
        reviewer = User.objects.filter(username__in=["thamdinh.so-tttt"]).first() or admin
        order = [State.DRAFT, State.APPROVED_BY_LEADER, State.SUBMITTED, State.UNDER_REVIEW, State.RETURNED,
                 State.RESUBMITTED, State.APPROVED, State.PUBLISHED]
        goal = order.index(target)
        if goal >= 1:
            entry.approve_by_leader(submission, user=leader)
        if goal >= 2:
            entry.submit(submission, user=reporter, today=today)
        if goal < 3:
            return
        layout = form_layout(submission.campaign.framework, unit.level_id)
        leaves = [leaf for leaf in layout.leaves if not leaf.computed]
        values = {v.field: v for v in submission.values.all()}
        for index, leaf in enumerate(leaves):
            if rng.random() < 0.12 and leaf.fields and leaf.fields[0].type in ("count", "integer", "number", "percent"):
                spec = leaf.fields[0]
                current = values.get(spec.name)
                if current is not None and current.number:
                    review.adjust_item(submission, leaf.code, user=reviewer,
                                       verified={spec.name: str(int(current.number * 0.8))},
                                       reason="Tài liệu kiểm chứng chỉ chứng minh được một phần số liệu báo cáo")
                    continue
            if goal == 3 and index > len(leaves) // 2:
                break
            review.accept_item(submission, leaf.code, user=reviewer)
        if goal == 3:
            return
        returned = leaves[min(3, len(leaves) - 1)]
        review.return_item(submission, returned.code, user=reviewer,
                           comment="Đề nghị bổ sung văn bản chứng minh (quyết định, kế hoạch có chữ ký, đóng dấu).")
        review.send_back(submission, user=reviewer)
        if goal == 4:
            return
        entry.save_entry(submission, user=reporter, answers={returned.code: "Đơn vị đã bổ sung quyết định kèm theo."},
                         files={returned.code: [SimpleUploadedFile("bo-sung.pdf", tiny_pdf("bo sung"), "application/pdf")]})
        entry.resubmit(submission, user=reporter)
        if goal == 5:
            return
        review.accept_item(submission, returned.code, user=reviewer)
        review.approve(submission, user=admin)
        if goal == 7:
            review.publish(submission, user=admin)

    def campaign_so(self, admin):
        framework = self._framework("hcm-79-so") or FrameworkVersion.objects.order_by("id").first()
        levels = compiled_for(framework).framework.level_codes
        units = list(Unit.objects.filter(level_id__in=levels).order_by("path"))
        if not units:
            return
        year = self.today.year
        previous = Campaign.objects.filter(name__startswith="Đánh giá chuyển đổi số các Sở, ban, ngành năm", year=year - 1).first()
        if previous is None:
            with transaction.atomic():
                previous = create_campaign(
                    name=f"Đánh giá chuyển đổi số các Sở, ban, ngành năm {year - 1}", framework=framework, year=year - 1,
                    period_start=dt.date(year - 1, 1, 1), period_end=dt.date(year - 1, 12, 31),
                    entry_deadline=dt.date(year - 1, 12, 15), review_deadline=dt.date(year, 1, 15),
                    approval_date=dt.date(year, 1, 25), publication_date=dt.date(year, 1, 31),
                    lead_unit=Unit.objects.filter(code="so-tttt").first(), units=units, user=admin,
                )
                when = dt.date(year - 1, 12, 1)
                rng = random.Random(7)
                for i, submission in enumerate(previous.submissions.select_related("unit", "campaign__framework")):
                    self.fill(submission, admin, seed=1000 + i, year=year - 1, today=when, evidence=False)
                    self.advance(submission, State.PUBLISHED, admin, today=when, rng=rng)
                mark_published(previous, user=admin)
            self.say(f"  đợt {previous.name}: đã tạo ({len(units)} đơn vị, đã công bố)")
        current = Campaign.objects.filter(name__startswith="Đánh giá chuyển đổi số các Sở, ban, ngành năm", year=year).first()
        if current is not None:
            self.say(f"  đợt {current.name}: đã có")
            return
        with transaction.atomic():
            current = create_campaign(
                name=f"Đánh giá chuyển đổi số các Sở, ban, ngành năm {year}", framework=framework, year=year,
                period_start=dt.date(year, 1, 1), period_end=dt.date(year, 12, 31),
                entry_deadline=self.today + dt.timedelta(days=30), review_deadline=self.today + dt.timedelta(days=60),
                approval_date=self.today + dt.timedelta(days=70), publication_date=self.today + dt.timedelta(days=75),
                lead_unit=Unit.objects.filter(code="so-tttt").first(), previous=previous, units=units, user=admin,
            )
            rng = random.Random(11)
            for i, submission in enumerate(current.submissions.select_related("unit", "campaign__framework")):
                target = SO_STATES.get(submission.unit.code, State.SUBMITTED)
                fill = 0.45 if submission.unit.code == "so-tttt" else (0.0 if submission.unit.code == "so-khcn" else 1.0)
                if fill:
                    self.fill(submission, admin, seed=2000 + i, year=year, today=self.today, fill=fill)
                self.advance(submission, target, admin, today=self.today, rng=rng)
        self.say(f"  đợt {current.name}: đã tạo ({len(units)} đơn vị ở mọi trạng thái)")

    def public_results(self, admin):
        """Last year's published Sở campaign on the public results page (/public/)."""
        from dti.public import services as public

        year = self.today.year - 1
        previous = Campaign.objects.filter(name__startswith="Đánh giá chuyển đổi số các Sở, ban, ngành năm", year=year,
                                           results_published_at__isnull=False).first()
        if previous is not None and not public.is_public(previous):
            public.run(previous, "make_public", user=admin)
            self.say(f"  đợt {previous.name}: công khai tại /public/")

    def kpi_programme(self, admin):
        from dti.kpi.demo import load

        load(admin, today=self.today, say=self.say)

    def national_plan(self, admin):
        from dti.plans.demo import load

        load(admin, today=self.today, say=self.say)

    def recognition_demo(self, admin):
        from dti.recognition.demo import load

        load(admin, today=self.today, say=self.say, fill=self.fill, advance=self.advance, password=PASSWORD)

    def campaign_kontum(self, admin):
        framework = self._framework("kontum-121-2025")
        if framework is None:
            return
        if Campaign.objects.filter(framework__code="kontum-121-2025").exists():
            self.say("  đợt đánh giá mức độ CĐS cấp huyện, xã: đã có")
            return
        year = self.today.year
        units = list(Unit.objects.filter(level_id__in=["huyen", "xa"]).order_by("path"))
        with transaction.atomic():
            campaign = create_campaign(
                name=f"Đánh giá mức độ chuyển đổi số cấp huyện, cấp xã năm {year}", framework=framework, year=year,
                period_start=dt.date(year, 1, 1), period_end=dt.date(year, 11, 30),
                entry_deadline=self.today + dt.timedelta(days=20), review_deadline=self.today + dt.timedelta(days=35),
                approval_date=self.today + dt.timedelta(days=40), publication_date=None,
                lead_unit=Unit.objects.filter(code="so-khcn").first(), units=units, user=admin,
            )
            rng = random.Random(5)
            states = [State.APPROVED, State.SUBMITTED, State.DRAFT, State.UNDER_REVIEW, State.APPROVED_BY_LEADER]
            for i, submission in enumerate(campaign.submissions.select_related("unit", "campaign__framework")):
                self.fill(submission, admin, seed=3000 + i, year=year, today=self.today, quality=0.85 + (i % 5) * 0.03)
                self.advance(submission, states[i % len(states)], admin, today=self.today, rng=rng)
        self.say(f"  đợt {campaign.name}: đã tạo ({len(units)} đơn vị)")
