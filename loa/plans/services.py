"""Writes of the plans app: import, review and confirm plans; record activities; urge units."""

import logging
import re
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from loa.core.models import AuditLog, Unit, Ward
from loa.core.services import audit_record, notification_send, unit_get_or_create

from .extract import ExtractedText, ExtractionError, extract_text
from .models import Activity, Plan, Task
from .parsing import ParsedPlan, PlanParseError, parse_plan
from .selectors import (
    task_list_needing_reminder,
    task_list_with_state,
    task_state,
    unit_account_count,
)

logger = logging.getLogger(__name__)

UNIT_KIND_HINTS = [
    ("mat tran", Unit.Kind.SOCIO_POLITICAL),
    ("to chuc chinh tri", Unit.Kind.SOCIO_POLITICAL),
    ("doan thanh nien", Unit.Kind.SOCIO_POLITICAL),
    ("hoi lien hiep phu nu", Unit.Kind.SOCIO_POLITICAL),
    ("hoi cuu chien binh", Unit.Kind.SOCIO_POLITICAL),
    ("hoi nong dan", Unit.Kind.SOCIO_POLITICAL),
    ("trung tam", Unit.Kind.PUBLIC_SERVICE),
    ("tram y te", Unit.Kind.PUBLIC_SERVICE),
    ("truong ", Unit.Kind.PUBLIC_SERVICE),
    ("cong an", Unit.Kind.POLICE_MILITARY),
    ("quan su", Unit.Kind.POLICE_MILITARY),
    ("cac phong", Unit.Kind.GROUP),
    ("phong ", Unit.Kind.DEPARTMENT),
    ("van phong", Unit.Kind.DEPARTMENT),
]


def unit_kind_guess(name: str) -> str:
    """Guess a unit's kind from its name (staff can change it)."""
    from loa.vn import fold_lower

    folded = fold_lower(name) + " "
    for hint, kind in UNIT_KIND_HINTS:
        if folded.startswith(hint) or (hint.startswith("cac") and hint in folded):
            return kind
    for hint, kind in UNIT_KIND_HINTS:
        if hint in folded:
            return kind
    return Unit.Kind.OTHER


@dataclass
class PlanPreview:
    extracted: ExtractedText
    parsed: ParsedPlan


def plan_preview(*, data: bytes, filename: str) -> PlanPreview:
    """Read and parse a plan document without saving anything.

    Raises ValidationError with a one-line Vietnamese reason when the file cannot be read
    or is not a plan.
    """
    try:
        extracted = extract_text(data=data, filename=filename)
        parsed = parse_plan(extracted.text)
    except (ExtractionError, PlanParseError) as exc:
        raise ValidationError(str(exc), code="unreadable_plan") from exc
    return PlanPreview(extracted=extracted, parsed=parsed)


def plan_upload(*, ward: Ward, data: bytes, filename: str, by=None) -> Plan:
    """Keep the uploaded file and its parse as a plan awaiting review; no task is created yet.

    Reading, OCR and parsing (tens of seconds for a scan) run outside any transaction:
    on SQLite a write transaction locks out every other writer while it lasts. Only the
    final save takes one.
    """
    preview = plan_preview(data=data, filename=filename)
    parsed = preview.parsed.as_dict()
    plan = Plan(
        ward=ward,
        status=Plan.Status.REVIEW,
        source_filename=filename[:255],
        extraction_method=preview.extracted.method,
        original_text=preview.extracted.text,
        restored_text=parsed.get("restored_text", ""),
        parsed=parsed,
        imported_by=by if getattr(by, "is_authenticated", False) else None,
    )
    _apply_header(plan, parsed)
    plan.source_file.save(_safe_filename(filename), ContentFile(data), save=False)
    try:
        plan.full_clean()
        with transaction.atomic():
            plan.save()
            audit_record(
                action=AuditLog.Action.IMPORT,
                obj=plan,
                actor=by,
                ward=ward,
                changes={"file": filename, "method": preview.extracted.method},
            )
    except BaseException:
        plan.source_file.delete(save=False)  # no plan row: keep no orphan file
        raise
    return plan


def plan_draft_create(
    *,
    ward: Ward,
    title: str,
    units: list[dict],
    text: str,
    source_filename: str,
    method: str,
    warning: str = "",
    by=None,
) -> Plan:
    """A plan awaiting review made from a ready list of units and tasks (a template of
    the city library), not from a document to parse."""
    parsed = {
        "title": title,
        "doc_type": "Kế hoạch",
        "issuer": ward.authority_name,
        "units": units,
        "warnings": [warning] if warning else [],
    }
    with transaction.atomic():
        plan = Plan.objects.create(
            ward=ward,
            status=Plan.Status.REVIEW,
            title=title,
            doc_type="Kế hoạch",
            issuer=ward.authority_name,
            parsed=parsed,
            source_filename=source_filename[:255],
            extraction_method=method,
            original_text=text,
            restored_text=text,
            imported_by=by if getattr(by, "is_authenticated", False) else None,
        )
        audit_record(
            action=AuditLog.Action.IMPORT,
            obj=plan,
            actor=by,
            ward=ward,
            changes={"file": source_filename, "method": method},
        )
    return plan


def _safe_filename(filename: str) -> str:
    from django.utils.text import get_valid_filename

    name = filename.rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    try:
        return get_valid_filename(name)[:120] or "ke-hoach"
    except Exception:  # noqa: BLE001 - an unusable name still must not lose the upload
        return "ke-hoach"


def _apply_header(plan: Plan, header: dict) -> None:
    plan.number = (header.get("number") or "")[:60]
    plan.issued_date = _to_date(header.get("date"))
    plan.issuer = (header.get("issuer") or "")[:300]
    plan.place = (header.get("place") or "")[:120]
    plan.doc_type = (header.get("doc_type") or "Kế hoạch")[:60]
    plan.title = header.get("title") or ""
    plan.signer = (header.get("signer") or "")[:120]
    plan.signer_position = (header.get("signer_position") or "")[:120]
    plan.implements = list(header.get("implements") or [])
    plan.sections = list(header.get("sections") or [])


def _to_date(value) -> date | None:
    if not value:
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


@dataclass
class ReviewedTask:
    unit_name: str
    text: str
    role: str = ""
    recurrence: str = ""
    due_date: date | None = None


@transaction.atomic
def plan_confirm(
    *,
    plan: Plan,
    header: dict,
    unit_map: dict[str, Unit | None],
    tasks: list[ReviewedTask],
    by=None,
) -> Plan:
    """Create the reviewed tasks and make the plan active.

    `unit_map` maps each unit name of the review to one of the ward's units, or to None
    to create a unit with that name.
    """
    # Locked, so two presses of "confirm" cannot both create the tasks.
    current = Plan.objects.select_for_update().filter(pk=plan.pk).values("status")
    if plan.status != Plan.Status.REVIEW or any(
        row["status"] != Plan.Status.REVIEW for row in current
    ):
        raise ValidationError(
            "Kế hoạch này đã được xác nhận trước đó.", code="already_confirmed"
        )
    if not tasks:
        raise ValidationError(
            "Kế hoạch cần có ít nhất một nhiệm vụ để xác nhận.", code="no_tasks"
        )
    _apply_header(plan, header)
    if (
        plan.number
        and Plan.objects.filter(ward=plan.ward, number=plan.number)
        .exclude(pk=plan.pk)
        .exclude(status=Plan.Status.REVIEW)
        .exists()
    ):
        raise ValidationError(
            "Phường đã có kế hoạch số %(number)s.",
            code="duplicate_number",
            params={"number": plan.number},
        )
    resolved: dict[str, Unit] = {}
    for name, unit in unit_map.items():
        if unit is not None and unit.ward_id != plan.ward_id:
            raise ValidationError(
                "Đơn vị không thuộc phường này.", code="unit_other_ward"
            )
        resolved[name] = unit or unit_get_or_create(
            ward=plan.ward, name=name, kind=unit_kind_guess(name), actor=by
        )
    rows = []
    for order, item in enumerate(tasks, start=1):
        unit = resolved.get(item.unit_name)
        if unit is None:
            unit = resolved[item.unit_name] = unit_get_or_create(
                ward=plan.ward,
                name=item.unit_name,
                kind=unit_kind_guess(item.unit_name),
                actor=by,
            )
        task = Task(
            plan=plan,
            unit=unit,
            text=item.text.strip(),
            role=item.role or "",
            recurrence=item.recurrence or "",
            due_date=item.due_date,
            order=order,
        )
        # The plan and every unit are this ward's (checked above); validating the two
        # keys again would cost two queries a task, thousands for a large plan.
        task.full_clean(exclude=["plan", "unit"])
        rows.append(task)
    # Tasks have no save() logic or signal receivers, so one insert per batch is safe.
    Task.objects.bulk_create(rows, batch_size=500)
    plan.status = Plan.Status.ACTIVE
    plan.confirmed_at = timezone.now()
    plan.full_clean()
    plan.save()
    audit_record(
        action=AuditLog.Action.CONFIRM,
        obj=plan,
        actor=by,
        changes={"tasks": len(tasks), "units": sorted({t.unit_name for t in tasks})},
    )
    return plan


def reviewed_tasks_from_parse(parsed: dict) -> list[ReviewedTask]:
    """The parse as it came out, for imports that skip the review screen (CLI, seed)."""
    result = []
    for unit in parsed.get("units", []):
        for item in unit.get("tasks", []):
            result.append(
                ReviewedTask(
                    unit_name=unit["name"],
                    text=item["text"],
                    role=item.get("role") or "",
                    recurrence=item.get("recurrence") or "",
                    due_date=_to_date(item.get("due")),
                )
            )
    return result


# --------------------------------------------------------------------------- review
# Staff edits made during the review stay in plan.parsed["review"] until confirmation, so a
# plan of any size is reviewed a page at a time and confirmed by a request of bounded size.
# Stored shape: {"tasks": [{"unit", "text", "role", "recurrence", "due", "deleted"}, ...],
#                "units": [{"parsed_name", "target", "new_name"}, ...]}
# A task's position in "tasks" never changes: a task left out stays, marked "deleted" (so
# staff can bring it back), and added tasks go at the end; pages keep their tasks.

_HEADER_FIELDS = (
    "number",
    "issued_date",
    "issuer",
    "place",
    "doc_type",
    "title",
    "signer",
    "signer_position",
)


@dataclass
class UnitChoice:
    """Where the review sends the tasks of one unit name found in the document."""

    parsed_name: str
    target: Unit | None = None
    new_name: str = ""


def _review_row(item: ReviewedTask | dict, unit_name: str = "") -> dict:
    if isinstance(item, ReviewedTask):
        return {
            "unit": item.unit_name,
            "text": item.text.strip(),
            "role": item.role or "",
            "recurrence": item.recurrence or "",
            "due": item.due_date.isoformat() if item.due_date else None,
            "deleted": False,
        }
    return {
        "unit": unit_name,
        "text": item.get("text") or "",
        "role": item.get("role") or "",
        "recurrence": item.get("recurrence") or "",
        "due": item.get("due") or None,
        "deleted": False,
    }


def plan_review_tasks(*, plan: Plan) -> list[dict]:
    """Return the tasks under review in order: staff's saved edits, else the parse.

    Each is a dict with `unit` (a unit name of the document), `text`, `role`,
    `recurrence`, `due` (ISO date or None) and `deleted` (left out by staff).
    """
    review = plan.parsed.get("review") or {}
    if "tasks" in review:
        return review["tasks"]
    return [
        _review_row(item, unit["name"])
        for unit in plan.parsed.get("units", [])
        for item in unit.get("tasks", [])
    ]


def plan_review_units(*, plan: Plan) -> list[UnitChoice]:
    """Return the unit mapping saved during the review, else a first guess: the ward's
    active unit of the same name, or a new unit named as in the document."""
    saved = {
        row["parsed_name"]: row
        for row in (plan.parsed.get("review") or {}).get("units", [])
    }
    ward_units = list(Unit.objects.filter(ward=plan.ward, is_active=True))
    by_pk = {unit.pk: unit for unit in ward_units}
    by_name = {" ".join(unit.name.split()).casefold(): unit for unit in ward_units}
    choices = []
    for unit in plan.parsed.get("units", []):
        name = unit["name"]
        row = saved.get(name)
        if row is not None:
            choices.append(
                UnitChoice(
                    name, by_pk.get(row.get("target")), row.get("new_name") or name
                )
            )
        else:
            choices.append(
                UnitChoice(name, by_name.get(" ".join(name.split()).casefold()), name)
            )
    return choices


def _check_reviewed(item: ReviewedTask, number: int) -> None:
    if not item.text.strip():
        raise ValidationError(
            "Nhiệm vụ %(number)s chưa có nội dung.",
            code="empty_task",
            params={"number": number},
        )
    if item.role and item.role not in Task.Role.values:
        raise ValidationError("Vai trò không hợp lệ.", code="invalid_role")
    if item.recurrence and item.recurrence not in Task.Recurrence.values:
        raise ValidationError("Tần suất không hợp lệ.", code="invalid_recurrence")


@transaction.atomic
def plan_review_save(
    *,
    plan: Plan,
    header: dict | None = None,
    units: list[UnitChoice] | None = None,
    tasks: dict[int, ReviewedTask | None] | None = None,
    added: list[ReviewedTask] | None = None,
    by=None,
) -> Plan:
    """Keep staff's review edits on a plan awaiting review; no task is created yet.

    `tasks` maps a task's position in the review (see `plan_review_tasks`) to its edited
    version, or to None to leave it out of the plan; `added` tasks go at the end.
    Returns the plan as saved.
    """
    # Locked and read afresh: two people saving different pages must not undo each other.
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != Plan.Status.REVIEW:
        raise ValidationError(
            "Kế hoạch này đã được xác nhận trước đó.", code="already_confirmed"
        )
    changes: dict = {}
    if header is not None:
        before = {name: getattr(plan, name) for name in _HEADER_FIELDS}
        _apply_header(plan, header)
        changed = [n for n in _HEADER_FIELDS if getattr(plan, n) != before[n]]
        if changed:
            changes["header"] = changed
    rows = [dict(row) for row in plan_review_tasks(plan=plan)]
    edited = removed = 0
    for position, item in (tasks or {}).items():
        if not 0 <= position < len(rows):
            raise ValidationError(
                "Không tìm thấy nhiệm vụ %(number)s.",
                code="unknown_task",
                params={"number": position + 1},
            )
        if item is None:
            removed += not rows[position]["deleted"]
            rows[position]["deleted"] = True
            continue
        _check_reviewed(item, position + 1)
        row = _review_row(item)
        if row != rows[position]:
            rows[position] = row
            edited += 1
    for item in added or []:
        _check_reviewed(item, len(rows) + 1)
        rows.append(_review_row(item))
    if edited or removed or added:
        changes["tasks"] = {
            "edited": edited,
            "removed": removed,
            "added": len(added or []),
        }
    review = dict(plan.parsed.get("review") or {})
    review["tasks"] = rows
    if units is not None:
        for choice in units:
            if choice.target is not None and choice.target.ward_id != plan.ward_id:
                raise ValidationError(
                    "Đơn vị không thuộc phường này.", code="unit_other_ward"
                )
        saved_units = [
            {
                "parsed_name": choice.parsed_name,
                "target": choice.target.pk if choice.target else None,
                "new_name": " ".join(choice.new_name.split()) or choice.parsed_name,
            }
            for choice in units
        ]
        if saved_units != review.get("units"):
            changes["units"] = len(saved_units)
        review["units"] = saved_units
    plan.parsed = {**plan.parsed, "review": review}
    plan.full_clean()
    plan.save(update_fields=[*_HEADER_FIELDS, "implements", "sections", "parsed"])
    if changes:
        audit_record(
            action=AuditLog.Action.UPDATE,
            obj=plan,
            actor=by,
            object_repr=f"Rà soát: {plan}",
            changes=changes,
        )
    return plan


def _locality_key(text: str) -> str:
    from loa.vn import fold_lower

    return " ".join(re.sub(r"[^\w]+", " ", fold_lower(text)).split())


def plan_issuer_is_ward(plan: Plan) -> bool:
    """Whether the plan's issuer ("cơ quan ban hành") is the plan's own ward, or unknown.

    Compared without diacritics or case: "ỦY BAN NHÂN DÂN PHƯỜNG HẢI DƯƠNG", "UBND phường
    Hai Duong" and "Ủy ban nhân dân phường Hải Dương" are the same; a former name of the
    ward counts as the ward."""
    issuer = _locality_key(plan.issuer or "")
    if not issuer:
        return True
    ward = plan.ward
    names = [(ward.kind, ward.name)]
    names += [(former.kind, former.name) for former in ward.former_names.all()]
    names += [(before.kind, before.name) for before in ward.formed_from.all()]
    kinds = dict(Ward.Kind.choices)
    for kind, name in names:
        label = re.escape(_locality_key(f"{kinds.get(kind, '')} {name}"))
        # The ward's name ends the issuer, or is followed only by a higher level
        # ("…phường Hải Dương, thành phố Hải Phòng"): "phường Hải Dương Mới" is another.
        if re.search(rf"(?:^| ){label}(?: (?:{_HIGHER_LEVELS}) .*)?$", issuer):
            return True
    return False


_HIGHER_LEVELS = "thanh pho|tp|tinh|quan|huyen|thi xa"


def plan_review_new_units(*, plan: Plan) -> list[str]:
    """Names of the units confirming the plan as mapped would create (with no account)."""
    return [c.new_name for c in plan_review_units(plan=plan) if c.target is None]


@transaction.atomic
def plan_review_confirm(
    *, plan: Plan, by=None, other_issuer_accepted: bool = False
) -> Plan:
    """Confirm the plan as reviewed: its header, the saved unit mapping and tasks.

    A plan issued by another body than the ward is confirmed only once staff said they
    meant it (`other_issuer_accepted`): its units become the ward's."""
    # Read under the lock, so a page saved a moment earlier is part of what is confirmed.
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if not other_issuer_accepted and not plan_issuer_is_ward(plan):
        raise ValidationError(
            "Kế hoạch do %(issuer)s ban hành, không phải %(ward)s. Hãy kiểm tra lại tệp "
            "đã chọn; nếu vẫn muốn giao nhiệm vụ cho các đơn vị của phường, đánh dấu ô "
            "“Tôi đã kiểm tra cơ quan ban hành” rồi bấm xác nhận lại.",
            code="other_issuer",
            params={"issuer": plan.issuer, "ward": plan.ward.authority_name},
        )
    unit_map: dict[str, Unit | None] = {}
    renamed: dict[str, str] = {}
    for choice in plan_review_units(plan=plan):
        name = choice.target.name if choice.target else choice.new_name
        renamed[choice.parsed_name] = name
        unit_map[name] = choice.target
    tasks = [
        ReviewedTask(
            unit_name=renamed.get(row["unit"], row["unit"]),
            text=row["text"],
            role=row["role"],
            recurrence=row["recurrence"],
            due_date=_to_date(row["due"]),
        )
        for row in plan_review_tasks(plan=plan)
        if not row["deleted"] and row["text"].strip()
    ]
    header = {name: getattr(plan, name) for name in _HEADER_FIELDS}
    header["date"] = header.pop("issued_date")
    header["implements"], header["sections"] = plan.implements, plan.sections
    return plan_confirm(plan=plan, header=header, unit_map=unit_map, tasks=tasks, by=by)


def plan_import(*, ward: Ward, data: bytes, filename: str, by=None) -> Plan:
    """Import and confirm a plan as parsed (command line and starter data)."""
    plan = plan_upload(ward=ward, data=data, filename=filename, by=by)
    return plan_confirm(
        plan=plan,
        header=plan.parsed,
        unit_map={},
        tasks=reviewed_tasks_from_parse(plan.parsed),
        by=by,
    )


@transaction.atomic
def plan_discard(*, plan: Plan, by=None) -> None:
    """Drop a plan that is still under review (a wrong upload)."""
    if plan.status != Plan.Status.REVIEW:
        raise ValidationError(
            "Chỉ hủy được kế hoạch đang chờ rà soát.", code="not_in_review"
        )
    audit_record(action=AuditLog.Action.DELETE, obj=plan, actor=by)
    plan.source_file.delete(save=False)
    plan.delete()


@transaction.atomic
def activity_record(
    *,
    task: Task,
    unit: Unit,
    by=None,
    kind: str,
    date: date,
    title: str,
    channel: str = "",
    attendees: int | None = None,
    copies: int | None = None,
    reach: int | None = None,
    households_helped: int | None = None,
    note: str = "",
    evidence_file=None,
    evidence_url: str = "",
) -> Activity:
    """Record what a unit did for a task."""
    if date > timezone.localdate():
        raise ValidationError(
            "Ngày thực hiện không được ở tương lai.", code="future_date"
        )
    activity = Activity(
        ward=task.plan.ward,
        task=task,
        unit=unit,
        kind=kind,
        date=date,
        title=title.strip(),
        channel=channel,
        attendees=attendees,
        copies=copies,
        reach=reach,
        households_helped=households_helped,
        note=note,
        evidence_url=evidence_url,
        created_by=by if getattr(by, "is_authenticated", False) else None,
    )
    if evidence_file is not None:
        activity.evidence_file = evidence_file
    activity.full_clean()
    activity.save()
    audit_record(
        action=AuditLog.Action.CREATE, obj=activity, actor=by, ward=task.plan.ward
    )
    return activity


@transaction.atomic
def activity_delete(*, activity: Activity, by=None) -> None:
    audit_record(
        action=AuditLog.Action.DELETE, obj=activity, actor=by, ward=activity.ward
    )
    activity.evidence_file.delete(save=False)
    activity.delete()


@transaction.atomic
def task_complete(*, task: Task, by=None) -> Task:
    """Mark a dated or one-off task done; recurring tasks never finish."""
    if task.completed_at:
        raise ValidationError("Nhiệm vụ đã hoàn thành.", code="already_done")
    if task.recurrence:
        raise ValidationError(
            "Nhiệm vụ thực hiện định kỳ không đánh dấu hoàn thành.", code="recurring"
        )
    task.completed_at = timezone.now()
    task.completed_by = by if getattr(by, "is_authenticated", False) else None
    task.save(update_fields=["completed_at", "completed_by"])
    audit_record(
        action=AuditLog.Action.APPROVE,
        obj=task,
        actor=by,
        ward=task.plan.ward,
        object_repr=f"Hoàn thành: {task}",
    )
    return task


@transaction.atomic
def task_reopen(*, task: Task, by=None) -> Task:
    task.completed_at = None
    task.completed_by = None
    task.save(update_fields=["completed_at", "completed_by"])
    audit_record(
        action=AuditLog.Action.UPDATE,
        obj=task,
        actor=by,
        ward=task.plan.ward,
        object_repr=f"Mở lại: {task}",
    )
    return task


def _urge_reason(task: Task, state) -> tuple[str, str]:
    """Why a task is urged ("quá hạn", "chưa có hoạt động", or "" when it is on time)
    and the line that says so in the notice."""
    from loa.vn import format_date

    if state.status == Task.Status.OVERDUE:
        return "quá hạn", f"Hạn hoàn thành {format_date(task.due_date)} đã qua."
    if state.is_silent:
        return "chưa có hoạt động", (
            state.period_label
            or f"Chưa ghi nhận hoạt động nào trong {settings.LOA_SILENT_DAYS} ngày."
        )
    return "", state.period_label or f"Trạng thái: {state.label.lower()}."


URGE_CLOSING = "Đề nghị đơn vị triển khai và ghi nhận kết quả trên Loa."


def _sender_line(by, message: str) -> str:
    message = message.strip()
    if not message:
        return ""
    who = (by.get_full_name() or by.username) if by is not None else "Loa"
    return f"Lời nhắn của {who}: {message}"


def _urge_deliver(
    *,
    ward: Ward,
    unit: Unit,
    obj,
    title: str,
    body: str,
    url: str,
    dedupe_key: str | None = None,
    by=None,
    changes: dict | None = None,
) -> tuple[bool, int]:
    """One urging notice to a unit: in the app, in the audit log and by e-mail.

    Returns whether it was sent (False: the same notice went out already) and to how
    many e-mail addresses."""
    note = notification_send(
        ward=ward, unit=unit, title=title, body=body, url=url, dedupe_key=dedupe_key
    )
    if note is None:
        return False, 0
    audit_record(
        action=AuditLog.Action.REMIND,
        obj=obj,
        actor=by,
        ward=ward,
        object_repr=title,
        changes=changes,
    )
    recipients = _unit_emails(unit)
    if recipients:
        try:
            send_mail(title, f"{body}\n{ward.absolute_url(url)}", None, recipients)
        except OSError:
            logger.warning("Không gửi được thư đôn đốc cho %s", unit)
            return True, 0
    return True, len(recipients)


def reminders_send(*, today: date | None = None, ward: Ward | None = None) -> int:
    """Urge each unit about its overdue and silent tasks, in the app and by e-mail.

    A task is urged at most once per day for the same reason; returns how many were sent.
    """
    today = today or timezone.localdate()
    sent = 0
    for task in task_list_needing_reminder(today=today, ward=ward):
        state = task.state
        reason, detail = _urge_reason(task, state)
        title = f"Đôn đốc: nhiệm vụ {reason} — {task.plan}"
        body = f"{task.unit.name}: {task.text}\n{detail}\n{URGE_CLOSING}"
        delivered, _ = _urge_deliver(
            ward=task.plan.ward,
            unit=task.unit,
            obj=task,
            title=title,
            body=body,
            url=f"/nhiem-vu/{task.pk}/",
            dedupe_key=f"reminder:{task.pk}:{state.status}:{today.isoformat()}",
        )
        sent += delivered
    return sent


@dataclass(frozen=True)
class UrgeResult:
    """What an urging did: who can read it in Loa, and how many e-mails went out."""

    unit: Unit
    tasks: int
    accounts: int
    emailed: int

    @property
    def reaches_nobody(self) -> bool:
        return self.accounts == 0 and self.emailed == 0


URGE_MESSAGE_MAX = 1000


def _check_urger(by, ward: Ward, message: str) -> None:
    from loa.core.access import is_plan_manager, user_ward

    if by is not None and (not is_plan_manager(by) or user_ward(by) != ward):
        raise ValidationError(
            "Chỉ lãnh đạo UBND và Phòng Văn hóa - Xã hội của phường được đôn đốc.",
            code="not_allowed",
        )
    if len(message) > URGE_MESSAGE_MAX:
        raise ValidationError(
            "Lời nhắn dài quá %(max)s ký tự.",
            code="too_long",
            params={"max": URGE_MESSAGE_MAX},
        )


def task_urge(*, task: Task, by=None, message: str = "") -> UrgeResult:
    """Urge a task's unit now ("Đôn đốc" on the task), with staff's optional message.

    The same notice as the daily urging (in the app, the audit log and by e-mail); every
    press sends one."""
    ward = task.plan.ward
    message = message.strip()
    _check_urger(by, ward, message)
    if task.completed_at:
        raise ValidationError(
            "Nhiệm vụ đã hoàn thành, không cần đôn đốc.", code="already_done"
        )
    if task.plan.status != Plan.Status.ACTIVE:
        raise ValidationError(
            "Chỉ đôn đốc nhiệm vụ của kế hoạch đang thực hiện.", code="plan_not_active"
        )
    state = task_state(task, today=timezone.localdate())
    reason, detail = _urge_reason(task, state)
    title = (
        f"Đôn đốc: nhiệm vụ {reason} — {task.plan}"
        if reason
        else f"Đôn đốc thực hiện nhiệm vụ — {task.plan}"
    )
    lines = [f"{task.unit.name}: {task.text}", detail, _sender_line(by, message)]
    body = "\n".join(line for line in [*lines, URGE_CLOSING] if line)
    _, emailed = _urge_deliver(
        ward=ward,
        unit=task.unit,
        obj=task,
        title=title,
        body=body,
        url=f"/nhiem-vu/{task.pk}/",
        by=by,
        changes={"message": message, "manual": True},
    )
    return UrgeResult(
        unit=task.unit, tasks=1, accounts=unit_account_count(task.unit), emailed=emailed
    )


def unit_urge(*, plan: Plan, unit: Unit, by=None, message: str = "") -> UrgeResult:
    """Urge a unit about all its unfinished tasks of a plan in one notice ("Đôn đốc" on
    the unit), overdue and silent ones first."""
    message = message.strip()
    _check_urger(by, plan.ward, message)
    if unit.ward_id != plan.ward_id:
        raise ValidationError("Đơn vị không thuộc phường của kế hoạch.", code="ward")
    if plan.status != Plan.Status.ACTIVE:
        raise ValidationError(
            "Chỉ đôn đốc nhiệm vụ của kế hoạch đang thực hiện.", code="plan_not_active"
        )
    tasks = task_list_with_state(
        plan.tasks.filter(unit=unit, completed_at__isnull=True)
        .select_related("plan", "unit")
        .annotate(last_activity_date=Max("activities__date"))
        .order_by("order", "pk"),
        today=timezone.localdate(),
    )
    if not tasks:
        raise ValidationError(
            "%(unit)s không còn nhiệm vụ nào chưa hoàn thành trong %(plan)s.",
            code="nothing_to_urge",
            params={"unit": unit.name, "plan": plan},
        )
    reasons = [(_urge_reason(task, task.state)[0], task) for task in tasks]
    reasons.sort(key=lambda pair: pair[0] == "")
    late = sum(1 for reason, _ in reasons if reason)
    title = f"Đôn đốc: {len(tasks)} nhiệm vụ chưa hoàn thành — {plan}"
    shown = [
        f"- {task.text}" + (f" ({reason})" if reason else "")
        for reason, task in reasons[:10]
    ]
    if len(reasons) > 10:
        shown.append(f"- và {len(reasons) - 10} nhiệm vụ khác")
    summary = f"{unit.name} còn {len(tasks)} nhiệm vụ chưa hoàn thành" + (
        f", {late} nhiệm vụ quá hạn hoặc chưa có hoạt động:" if late else ":"
    )
    body = "\n".join(
        line
        for line in [summary, *shown, _sender_line(by, message), URGE_CLOSING]
        if line
    )
    _, emailed = _urge_deliver(
        ward=plan.ward,
        unit=unit,
        obj=unit,
        title=title,
        body=body,
        url="/nhiem-vu/",
        by=by,
        changes={
            "message": message,
            "manual": True,
            "plan": plan.pk,
            "tasks": [task.pk for task in tasks],
        },
    )
    return UrgeResult(
        unit=unit, tasks=len(tasks), accounts=unit_account_count(unit), emailed=emailed
    )


def _unit_emails(unit: Unit) -> list[str]:
    emails = {unit.email} if unit.email else set()
    emails.update(
        m.user.email for m in unit.members.select_related("user") if m.user.email
    )
    return sorted(emails)
