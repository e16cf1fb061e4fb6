"""Changes to report drafts, narratives, praise and indicators; exports of the report."""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from loa.core.access import can_act_for_unit, is_plan_manager, user_ward
from loa.core.models import Unit, Ward
from loa.core.services import audit_record
from loa.plans.models import Plan
from loa.vn import nfc

from .document import draft_defaults, report_document
from .models import Commendation, Indicator, ReportDraft, UnitNarrative
from .render import DOCX_TYPE, XLSX_TYPE, render_docx, render_pdf, render_xlsx

DRAFT_TEXT_FIELDS = [
    "number",
    "issued_date",
    "introduction",
    "difficulties",
    "proposals",
    "next_steps",
    "recipients",
    "signer",
    "signer_position",
    "signing_authority",
]
FORMATS = {
    "docx": (render_docx, DOCX_TYPE),
    "pdf": (render_pdf, "application/pdf"),
    "xlsx": (render_xlsx, XLSX_TYPE),
}


def plan_find(number: str, *, ward: Ward | None = None) -> Plan:
    """The confirmed plan with this number ("77/KH-UBND"), in one ward if given."""
    plans = Plan.objects.exclude(status=Plan.Status.REVIEW).filter(
        number__iexact=nfc(number.strip())
    )
    if ward is not None:
        plans = plans.filter(ward=ward)
    found = list(plans.select_related("ward")[:2])
    if not found:
        raise ValidationError(f"Không tìm thấy kế hoạch số {number}.")
    if len(found) > 1:
        raise ValidationError(
            f"Có nhiều phường cùng có kế hoạch số {number}: hãy chỉ rõ phường (--ward)."
        )
    return found[0]


def period_check(start: date, end: date) -> None:
    if start > end:
        raise ValidationError("Ngày bắt đầu phải trước ngày kết thúc kỳ báo cáo.")
    if (end - start).days > 3 * 366:
        raise ValidationError("Kỳ báo cáo dài quá 3 năm.")


def draft_get_or_create(plan: Plan, start: date, end: date, *, by=None) -> ReportDraft:
    period_check(start, end)
    draft, created = ReportDraft.objects.get_or_create(
        plan=plan,
        period_from=start,
        period_to=end,
        defaults={"ward": plan.ward, "updated_by": by}
        | draft_defaults(plan, start, end),
    )
    if created and by is not None:
        audit_record(action="create", obj=draft, actor=by, ward=plan.ward)
    return draft


def _require_manager(user, ward: Ward) -> None:
    if not (is_plan_manager(user) and user_ward(user) == ward):
        raise PermissionDenied(
            "Chỉ lãnh đạo và Phòng Văn hóa - Xã hội sửa được báo cáo."
        )


def _require_editable(draft: ReportDraft) -> None:
    """A report sent to the city is frozen: read from the database, not the caller's copy."""
    submitted_at = (
        ReportDraft.objects.filter(pk=draft.pk)
        .values_list("submitted_at", flat=True)
        .first()
    )
    if submitted_at is not None:
        when = timezone.localtime(submitted_at).strftime("%H:%M ngày %d/%m/%Y")
        raise ValidationError(
            f"Báo cáo đã gửi thành phố lúc {when} nên không sửa được nữa. "
            "Muốn sửa, lãnh đạo hoặc Phòng Văn hóa - Xã hội rút lại báo cáo trước."
        )


# What a report must carry before it is sent (Nghị định 30/2020/NĐ-CP).
SUBMIT_REQUIRED = {
    "number": "số, ký hiệu",
    "issued_date": "ngày ký",
    "signer": "người ký",
    "signer_position": "chức vụ người ký",
}


@transaction.atomic
def draft_submit(draft: ReportDraft, *, by) -> ReportDraft:
    """ "Gửi báo cáo": the ward's plan managers send the report to the city, which reads
    it from then on; its words can no longer change (until it is withdrawn)."""
    _require_manager(by, draft.ward)
    draft = ReportDraft.objects.select_for_update().get(pk=draft.pk)
    _require_editable(draft)
    missing = [
        label for name, label in SUBMIT_REQUIRED.items() if not getattr(draft, name)
    ]
    if missing:
        raise ValidationError(
            "Chưa gửi được: báo cáo còn thiếu " + ", ".join(missing) + "."
        )
    now = timezone.now()
    # One submission even when two managers click at once.
    sent = ReportDraft.objects.filter(pk=draft.pk, submitted_at__isnull=True).update(
        submitted_at=now, submitted_by=by
    )
    if not sent:
        _require_editable(draft)
    draft.submitted_at, draft.submitted_by = now, by
    city = draft.ward.province or "thành phố"
    audit_record(
        action="confirm",
        obj=draft,
        actor=by,
        ward=draft.ward,
        object_repr=f"Gửi {city}: {draft}"[:300],
        changes={"submitted_at": now.isoformat()},
    )
    return draft


@transaction.atomic
def draft_withdraw(draft: ReportDraft, *, by) -> ReportDraft:
    """Take a sent report back to correct it: the city no longer sees it until it is
    sent again."""
    _require_manager(by, draft.ward)
    draft = ReportDraft.objects.select_for_update().get(pk=draft.pk)
    if draft.submitted_at is None:
        raise ValidationError("Báo cáo chưa gửi nên không cần rút lại.")
    sent_at = draft.submitted_at
    ReportDraft.objects.filter(pk=draft.pk).update(submitted_at=None, submitted_by=None)
    draft.submitted_at = draft.submitted_by = None
    audit_record(
        action="update",
        obj=draft,
        actor=by,
        ward=draft.ward,
        object_repr=f"Rút lại báo cáo đã gửi: {draft}"[:300],
        changes={"submitted_at": f"{sent_at.isoformat()} → (rút lại)"},
    )
    return draft


@transaction.atomic
def draft_update(draft: ReportDraft, *, by, **fields) -> ReportDraft:
    """Change the words of a draft. Figures are not fields: they cannot be edited here."""
    _require_manager(by, draft.ward)
    _require_editable(draft)
    unknown = set(fields) - set(DRAFT_TEXT_FIELDS)
    if unknown:
        raise ValidationError(f"Không sửa được: {', '.join(sorted(unknown))}.")
    changes = {}
    for name, value in fields.items():
        value = nfc(value) if isinstance(value, str) else value
        if getattr(draft, name) != value:
            changes[name] = str(value)[:200]
            setattr(draft, name, value)
    draft.updated_by = by
    draft.updated_at = timezone.now()
    draft.full_clean()
    draft.save()
    if changes:
        audit_record(
            action="update", obj=draft, actor=by, ward=draft.ward, changes=changes
        )
    return draft


@transaction.atomic
def narrative_set(
    draft: ReportDraft, *, unit: Unit, text: str, by
) -> UnitNarrative | None:
    """A unit writes its part of the report; empty text removes it."""
    if unit.ward_id != draft.ward_id or not can_act_for_unit(by, unit):
        raise PermissionDenied("Chỉ cán bộ của đơn vị này viết được phần của đơn vị.")
    _require_editable(draft)
    text = nfc(text).strip()
    if not text:
        UnitNarrative.objects.filter(draft=draft, unit=unit).delete()
        return None
    narrative, _ = UnitNarrative.objects.update_or_create(
        draft=draft,
        unit=unit,
        defaults={"text": text, "updated_by": by, "updated_at": timezone.now()},
    )
    audit_record(
        action="update",
        obj=draft,
        actor=by,
        ward=draft.ward,
        object_repr=f"Phần viết của {unit.name} — {draft}",
    )
    return narrative


def commendation_add(
    draft: ReportDraft, *, kind: str, name: str, reason: str, unit: Unit | None, by
) -> Commendation:
    _require_manager(by, draft.ward)
    _require_editable(draft)
    if unit is not None and unit.ward_id != draft.ward_id:
        raise ValidationError("Đơn vị không thuộc phường này.")
    commendation = Commendation(
        draft=draft,
        kind=kind,
        name=nfc(name).strip(),
        reason=nfc(reason).strip(),
        unit=unit,
    )
    commendation.full_clean()
    commendation.save()
    audit_record(action="create", obj=commendation, actor=by, ward=draft.ward)
    return commendation


def commendation_remove(commendation: Commendation, *, by) -> None:
    _require_manager(by, commendation.draft.ward)
    _require_editable(commendation.draft)
    audit_record(
        action="delete", obj=commendation, actor=by, ward=commendation.draft.ward
    )
    commendation.delete()


def indicator_save(indicator: Indicator, *, by) -> Indicator:
    _require_manager(by, indicator.plan.ward)
    created = indicator.pk is None
    indicator.full_clean()
    indicator.save()
    audit_record(
        action="create" if created else "update",
        obj=indicator,
        actor=by,
        ward=indicator.plan.ward,
    )
    return indicator


def indicator_delete(indicator: Indicator, *, by) -> None:
    _require_manager(by, indicator.plan.ward)
    audit_record(action="delete", obj=indicator, actor=by, ward=indicator.plan.ward)
    indicator.delete()


@dataclass
class ReportFile:
    content: bytes
    filename: str
    content_type: str


def report_export(draft: ReportDraft, fmt: str) -> ReportFile:
    if fmt not in FORMATS:
        raise ValidationError("Định dạng phải là docx, pdf hoặc xlsx.")
    render, content_type = FORMATS[fmt]
    document = report_document(draft)
    return ReportFile(render(document), f"{document.filename_stem}.{fmt}", content_type)
