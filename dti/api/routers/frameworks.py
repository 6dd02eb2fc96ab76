"""Frameworks (methodologies as data): list, one version, validation of a draft."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from ninja import Path, Router

from dti.api.errors import not_found
from dti.api.schemas import COMMON, ID, FrameworkDetail, FrameworkOut, ValidateIn, ValidateOut, errors
from dti.engine.compiled import CompileError
from dti.methodologies.models import FrameworkVersion
from dti.methodologies.selectors import versions
from dti.methodologies.services import check_yaml

router = Router(tags=["frameworks"])


def _out(version: FrameworkVersion) -> dict:
    return {"id": version.pk, "code": version.code, "revision": version.revision, "version": version.version,
            "name": version.name, "year": version.year, "document": version.document, "frozen": version.frozen}


@router.get("", response={200: list[FrameworkOut], **errors(*COMMON)}, summary="Các bộ chỉ số")
def framework_list(request):
    request.auth.require_personal()
    return [_out(v) for v in versions().defer("yaml_text")]


@router.post("/validate", response={200: ValidateOut, **errors(*COMMON)}, summary="Kiểm tra một bộ chỉ số (YAML hoặc JSON)")
def validate(request, body: ValidateIn):
    request.auth.require_personal()
    try:
        checked = check_yaml(body.yaml)
    except ValidationError as exc:
        return {"valid": False, "errors": [str(m) for m in exc.messages], "warnings": []}
    except (CompileError, RecursionError) as exc:
        return {"valid": False, "errors": [str(exc)[:2000]], "warnings": []}
    warnings = [f"[{w['code']}] {w['message']}" for w in checked.report.get("warnings", [])]
    return {"valid": True, "errors": [], "warnings": warnings}


@router.get("/{framework_id}", response={200: FrameworkDetail, **errors(*COMMON)}, summary="Một phiên bản bộ chỉ số")
def framework_detail(request, framework_id: int = Path(..., **ID)):
    request.auth.require_personal()
    from dti.methodologies.selectors import compiled_for

    version = FrameworkVersion.objects.filter(pk=framework_id).first()
    if version is None:
        raise not_found()
    return {**_out(version), "definition": compiled_for(version).framework}
