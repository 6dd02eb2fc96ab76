"""Creating framework versions from YAML text; a frozen version is never edited."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from dti.audit.services import record
from dti.engine.model import Framework

from .models import FrameworkVersion

BUNDLED_DIR = Path(__file__).resolve().parents[1] / "frameworks"


@dataclass
class Checked:
    framework: Framework
    report: dict[str, Any]


def check_yaml(text: str) -> Checked:
    """Parse and validate; ValidationError with Vietnamese messages, each with its line, if it cannot be scored."""
    from .yaml_lines import check_lines

    checked = check_lines(text)
    if not checked.ok:
        raise ValidationError([str(p) for p in checked.problems if p.severity == "error"])
    assert checked.framework is not None and checked.report is not None
    return Checked(checked.framework, checked.report)


@transaction.atomic
def create_version(yaml_text: str, *, user=None, derived_from: FrameworkVersion | None = None) -> FrameworkVersion:
    checked = check_yaml(yaml_text)
    fw = checked.framework
    revision = (FrameworkVersion.objects.filter(code=fw.code).aggregate(m=Max("revision"))["m"] or 0) + 1
    version = FrameworkVersion.objects.create(
        code=fw.code,
        revision=revision,
        version=fw.version,
        name=fw.name,
        year=fw.year,
        document=fw.source.document,
        yaml_text=yaml_text,
        sha256=hashlib.sha256(yaml_text.encode("utf-8")).hexdigest(),
        derived_from=derived_from,
        created_by=user if user is not None and user.is_authenticated else None,
    )
    record(user, "framework.create", version, new=f"{fw.code} v{fw.version} ({revision})",
           reason=_("bản mới từ bản %(r)s") % {"r": derived_from.revision} if derived_from else "")
    return version


def freeze(version: FrameworkVersion, *, user=None) -> None:
    if not version.frozen:
        FrameworkVersion.objects.filter(pk=version.pk).update(frozen=True)
        version.frozen = True
        record(user, "framework.freeze", version)


def load_bundled(*, user=None, directory: Path = BUNDLED_DIR) -> list[tuple[str, FrameworkVersion | None, str]]:
    """Load dti/frameworks/*.yaml that validate without errors; same text twice is loaded once."""
    outcome: list[tuple[str, FrameworkVersion | None, str]] = []
    for path in sorted(directory.glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        existing = FrameworkVersion.objects.filter(sha256=digest).first()
        if existing is not None:
            outcome.append((path.name, existing, "exists"))
            continue
        try:
            outcome.append((path.name, create_version(text, user=user), "created"))
        except ValidationError as exc:
            outcome.append((path.name, None, "; ".join(exc.messages)[:300]))
    return outcome
