"""The ward's slogans (khẩu hiệu) for băng-rôn and LED boards: proposed by the staff who
prepare the ward's communication, approved by its plan managers; only approved slogans
print. Every change is audited."""

from __future__ import annotations

import unicodedata

from django.core.exceptions import ValidationError
from django.utils import timezone

from loa.core import roles
from loa.core.access import can_manage_ward_posts, is_plan_manager, user_ward
from loa.core.models import AuditLog
from loa.core.services import audit_record

from ..models import Slogan

# Who proposes: plan managers (Lãnh đạo UBND, Phòng Văn hóa - Xã hội) and the ward's
# editors and approvers, who write its content. Who approves: plan managers only, as
# for the plan itself (roles.PLAN_MANAGERS).
PROPOSERS_TEXT = "lãnh đạo phường, Phòng Văn hóa - Xã hội, biên tập viên và người duyệt"
APPROVERS_TEXT = f"{roles.LEADER} và {roles.CULTURE_STAFF}"


def can_propose_slogans(user, ward) -> bool:
    return can_manage_ward_posts(user, ward)


def can_approve_slogans(user, ward) -> bool:
    return ward is not None and user_ward(user) == ward and is_plan_manager(user)


def ward_slogans(ward):
    """The ward's slogans, waiting ones first, newest first."""
    return Slogan.objects.filter(ward=ward).order_by(
        "is_approved", "-created_at", "-pk"
    )


def approved_slogans(ward):
    return Slogan.objects.filter(ward=ward, is_approved=True).order_by("text", "pk")


def _clean_text(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text or "").split())


def slogan_create(*, ward, text: str, by=None) -> Slogan:
    """Add a slogan to the ward's library, waiting for approval."""
    text = _clean_text(text)
    if not text:
        raise ValidationError({"text": "Hãy nhập khẩu hiệu."})
    if Slogan.objects.filter(ward=ward, text__iexact=text).exists():
        raise ValidationError(
            {"text": "Khẩu hiệu này đã có trong thư viện của phường."}
        )
    slogan = Slogan(
        ward=ward,
        text=text,
        created_by=by if getattr(by, "is_authenticated", False) else None,
    )
    slogan.full_clean()
    slogan.save()
    audit_record(
        action=AuditLog.Action.CREATE,
        obj=slogan,
        actor=by,
        object_repr=f"Đề xuất khẩu hiệu: {slogan.text}",
    )
    return slogan


def slogan_approve(*, slogan: Slogan, by) -> Slogan:
    """Approve a slogan for printing and LED boards, and audit it."""
    if slogan.is_approved:
        raise ValidationError("Khẩu hiệu này đã được duyệt.")
    slogan.is_approved = True
    slogan.approved_by = by if getattr(by, "is_authenticated", False) else None
    slogan.approved_at = timezone.now()
    slogan.save(update_fields=["is_approved", "approved_by", "approved_at"])
    audit_record(
        action=AuditLog.Action.APPROVE,
        obj=slogan,
        actor=by,
        object_repr=f"Duyệt khẩu hiệu: {slogan.text}",
        changes={"text": slogan.text},
    )
    return slogan
