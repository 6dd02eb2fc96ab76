"""Demo for ``load_demo``: a Kon Tum-like province (invented names) run through QĐ 121's process,
with units at every step: not registered, draft, registered late after an extension, registered,
before the council, with members' opinions (one disagreement), concluded, recognised by an issued
decision; and last year's decision to compare with.  Idempotent (skipped when the campaign exists)."""

from __future__ import annotations

import datetime as dt
import random

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from dti.accounts.models import Role, RoleAssignment
from dti.campaigns.models import Campaign
from dti.campaigns.services import create_campaign
from dti.methodologies.models import FrameworkVersion
from dti.organisations.models import Unit
from dti.organisations.services import create_unit
from dti.site.demo import tiny_pdf
from dti.submissions.models import State

from . import services, workflow
from .models import Decision, DecisionLine, DecisionState
from .selectors import criteria_at

PROVINCE = ("nl", "UBND tỉnh Ngọc Lâm")
SO_KHCN = ("nl-so-khcn", "Sở Khoa học và Công nghệ tỉnh Ngọc Lâm")
# district → communes; every name is invented
DISTRICTS = [
    ("nl-daksao", "UBND huyện Đăk Sao", [("nl-xa-daksao", "UBND xã Đăk Sao"), ("nl-xa-polong", "UBND xã Pô Long"),
                                          ("nl-tt-daksao", "UBND thị trấn Đăk Sao")]),
    ("nl-yalim", "UBND huyện Ya Lim", [("nl-xa-yalim", "UBND xã Ya Lim"), ("nl-xa-saloong", "UBND xã Sa Loong"),
                                        ("nl-xa-dakrang", "UBND xã Đăk Răng")]),
    ("nl-tp", "UBND thành phố Ngọc Lâm", [("nl-p-thanglong", "UBND phường Thăng Long"),
                                           ("nl-p-hoabinh", "UBND phường Hòa Bình"),
                                           ("nl-xa-kroong", "UBND xã Kroong")]),
]
NAME = "Xét công nhận mức độ chuyển đổi số cấp huyện, cấp xã tỉnh Ngọc Lâm năm {year}"


def _units() -> dict[str, Unit]:
    def unit(code, name, level, parent=None, group=""):
        return Unit.objects.filter(code=code).first() or create_unit(code=code, name=name, level=level,
                                                                     parent=parent, ranking_group=group)

    province = unit(*PROVINCE, "tinh")
    made = {"nl": province, SO_KHCN[0]: unit(*SO_KHCN, "so", province, "Sở, ban, ngành")}
    for code, name, communes in DISTRICTS:
        made[code] = unit(code, name, "huyen", province, "Cấp huyện")
        for ccode, cname in communes:
            made[ccode] = unit(ccode, cname, "xa", made[code], "Cấp xã")
    return made


def _people(units, password: str) -> dict[str, object]:
    User = get_user_model()
    hashed = make_password(password)

    def user(username, full_name, role, unit=None, subtree=False):
        account, _ = User.objects.get_or_create(username=username)
        account.first_name, account.password = full_name, hashed
        account.save()
        RoleAssignment.objects.get_or_create(user=account, role=role, unit=unit, defaults={"include_subtree": subtree})
        return account

    people = {"admin": user("quantri.nl-khcn", "Quản trị đánh giá (Sở KH&CN Ngọc Lâm)", Role.ASSESSMENT_ADMIN,
                            units["nl"], True)}
    for i, name in enumerate(("Trần Thị Hội", "Lê Văn Thư", "Phạm Minh Khoa", "Đỗ Thu Hà"), 1):
        people[f"r{i}"] = user(f"thamdinh.nl-{i}", f"{name} (Hội đồng thẩm định)", Role.REVIEWER, units["nl"], True)
    for code, _name, communes in DISTRICTS:
        for c in [code] + [cc for cc, _n in communes]:
            people[f"rep.{c}"] = user(f"bientap.{c}", f"Cán bộ nhập liệu {units[c].name}", Role.REPORTER, units[c])
            people[f"lead.{c}"] = user(f"lanhdao.{c}", f"Lãnh đạo {units[c].name}", Role.LEADER, units[c])
    return people


def load(admin, *, today: dt.date, say, fill, advance, password: str = "demo") -> None:
    framework = FrameworkVersion.objects.filter(code="kontum-121-2025").order_by("-revision").first()
    if framework is None or Campaign.objects.filter(name=NAME.format(year=today.year)).exists():
        say("  đợt xét công nhận mức độ CĐS tỉnh Ngọc Lâm: đã có" if framework else "")
        return
    year = today.year
    with transaction.atomic():
        units = _units()
        people = _people(units, password)
        lead = units[SO_KHCN[0]]
        participating = [units[c] for c in units if c not in ("nl", SO_KHCN[0])]
        last = create_campaign(name=NAME.format(year=year - 1), framework=framework, year=year - 1, lead_unit=lead,
                               units=participating, user=admin)
        old = Decision.objects.create(campaign=last, issuer="Ủy ban nhân dân các huyện (tổng hợp)", level="xa",
                                      number="45/QĐ-UBND", signed_on=dt.date(year - 1, 12, 18), signer="Y Bhin",
                                      state=DecisionState.ISSUED, created_by=admin, issued_by=admin)
        rng = random.Random(13)
        for _code, _n, communes in DISTRICTS:  # last year's recognised levels, for the report's comparison
            for ccode, _c in communes:
                DecisionLine.objects.create(decision=old, unit=units[ccode], level=rng.choice([1, 1, 2]))
        campaign = create_campaign(
            name=NAME.format(year=year), framework=framework, year=year, lead_unit=lead, previous=last,
            entry_deadline=today + dt.timedelta(days=20), review_deadline=today + dt.timedelta(days=35),
            approval_date=today + dt.timedelta(days=40), units=participating, user=admin)
        january = dt.date(year, 1, 10)

        def register(code, level, *, on=january, approve=True):
            reg = services.save_registration(campaign, units[code], target_level=level, user=people[f"rep.{code}"],
                                             today=on)
            if approve:
                workflow.run(reg, "register", user=people[f"lead.{code}"], roles={Role.LEADER}, today=on)
            return reg

        def send(code, level, seed):
            register(code, level)
            submission = campaign.submissions.select_related("unit", "campaign__framework").get(unit__code=code)
            fill(submission, admin, seed=seed, year=year, today=today, quality=0.9)
            advance(submission, State.SUBMITTED, admin, today=today, rng=rng)

        # Đăk Sao: every step done, its communes recognised by an issued decision.
        daksao = [cc for cc, _n in DISTRICTS[0][2]]
        for i, code in enumerate(daksao + ["nl-daksao"]):
            send(code, 2 if i % 2 else 1, 5000 + i)
        # Ya Lim: files before the council, opinions under way.
        yalim = [cc for cc, _n in DISTRICTS[1][2]]
        for i, code in enumerate(yalim):
            send(code, 2, 5100 + i)
        register("nl-yalim", 2)
        # Thành phố: one registered, one draft (not approved), one late with an extension, one not registered.
        register("nl-p-thanglong", 3)
        register("nl-p-hoabinh", 2, approve=False)
        services.grant_registration_extension(campaign, units["nl-xa-kroong"], new_deadline=today + dt.timedelta(days=7),
                                              reason="Xã mới kiện toàn lãnh đạo; đăng ký muộn được Sở chấp thuận",
                                              user=people["admin"])
        register("nl-xa-kroong", 1, on=today)

        district_council = services.form_council(
            campaign, name="Hội đồng thẩm định cấp huyện (huyện Đăk Sao, Ya Lim)", chair=people["r1"],
            secretary=people["r2"], members=[people["r3"]], user=people["admin"])
        services.form_council(campaign, name="Hội đồng thẩm định cấp tỉnh", chair=people["r4"],
                              secretary=people["r3"], members=[people["r1"]], user=people["admin"])
        files = services.assign_files(district_council, [units[c] for c in daksao + yalim], user=people["admin"])
        for file in files:
            criteria = criteria_at(campaign, file.unit, file.claimed_level)
            for member in (people["r1"], people["r3"]):
                if file.unit.code == "nl-xa-dakrang" and member == people["r3"]:
                    continue  # one member has not given an opinion yet
                opinions = {code: (True, "Có tài liệu kiểm chứng") for code, _n, _r in criteria}
                if file.unit.code == "nl-xa-saloong" and member == people["r3"] and criteria:
                    opinions[criteria[0][0]] = (False, "Số liệu trên Cổng dịch vụ công thấp hơn báo cáo")
                services.record_opinions(file, user=member, opinions=opinions)
            if file.unit.code in daksao or file.unit.code == "nl-xa-yalim":
                level = file.claimed_level if file.unit.code != "nl-xa-polong" else file.claimed_level - 1
                reasons = ("Đạt đủ các tiêu chí của mức đăng ký (biên bản họp Hội đồng)" if level == file.claimed_level
                           else "Tiêu chí 1 chưa đạt ngưỡng của mức đăng ký; công nhận mức thấp hơn (biên bản họp)")
                services.conclude(file, user=people["r2"], level=level, reasons=reasons)
        decision = services.create_decision(campaign, issuer="Ủy ban nhân dân huyện Đăk Sao", level="xa",
                                            within=units["nl-daksao"], signer="Y Bhin", user=people["admin"])
        services.fill_decision(decision, user=people["admin"], number="112/QĐ-UBND", signed_on=today,
                               signed_pdf=SimpleUploadedFile("qd.pdf", tiny_pdf("QD cong nhan"), "application/pdf"))
        services.issue(decision, user=people["admin"], roles={Role.ASSESSMENT_ADMIN})
        services.create_decision(campaign, issuer="Ủy ban nhân dân tỉnh Ngọc Lâm", level="huyen",
                                 signer="", user=people["admin"])
    say(f"  đợt {campaign.name}: đã tạo (đăng ký, hội đồng, quyết định ở mọi bước)")
