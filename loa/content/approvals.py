"""Signed, expiring approval links: a leader approves or returns an article from a link.

A link names one workflow task state and one user, signed with Django's
TimestampSigner under its own salt (a token made for another purpose does not pass).
The signature only says what the link is for; it is not a credential: the page opens for
the named approver alone, signed in (with their second factor when they enrolled one).
Anyone else who sees the link gets the login page or a refusal, and nothing changes.
Links go only to the approver: a personal notification and their own e-mail. A link is
good for one decision, because once the task state leaves "in progress" it shows
"Đã xử lý".
The decision itself is Wagtail's (`Task.on_action`), so the workflow advances, the last
approval publishes, and Wagtail's own history stays whole.
"""

from __future__ import annotations

import contextvars
import logging
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from wagtail.models import Page, TaskState

from loa.core.models import AuditLog, Membership
from loa.core.services import audit_record, notification_send

from .wards import ward_for_page

logger = logging.getLogger(__name__)

SALT = "loa.content.approval"
# Set while a decision made through a link runs, so the workflow signal receivers record
# "qua liên kết" without a second audit row.
decision_channel: contextvars.ContextVar[str] = contextvars.ContextVar(
    "loa_approval_channel", default=""
)


class ApprovalLinkError(PermissionDenied):
    """The link is forged, expired or does not give this user this step."""

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.message, self.code = message, code


@dataclass
class ApprovalRequest:
    task_state: TaskState
    user: object
    page: Page  # the revision under review, as a page object (not necessarily live)

    @property
    def is_pending(self) -> bool:
        return self.task_state.status == TaskState.STATUS_IN_PROGRESS


def _max_age_seconds() -> int:
    return int(getattr(settings, "LOA_APPROVAL_LINK_HOURS", 72)) * 3600


def approval_token_make(*, task_state: TaskState, user) -> str:
    """Sign a token that lets `user` decide `task_state`."""
    return signing.TimestampSigner(salt=SALT).sign_object(
        {"ts": task_state.pk, "u": user.pk}
    )


def approval_url(*, token: str, ward=None, absolute: bool = True) -> str:
    """The link's path, or its full URL on the public address of the page's ward."""
    path = reverse("content:approval_decide", kwargs={"token": token})
    if not absolute:
        return path
    if ward is None:
        raise ValueError("An absolute approval link needs the page's ward.")
    return ward.absolute_url(path)


def approval_request_get(*, token: str, user) -> ApprovalRequest:
    """Check a token for the signed-in `user` and return what it lets them decide.

    Raise ApprovalLinkError when the token is forged or expired, or names someone else.
    """
    try:
        data = signing.TimestampSigner(salt=SALT).unsign_object(
            token, max_age=_max_age_seconds()
        )
    except signing.SignatureExpired as exc:
        raise ApprovalLinkError(
            "Liên kết phê duyệt đã hết hạn.", code="expired"
        ) from exc
    except signing.BadSignature as exc:
        raise ApprovalLinkError(
            "Liên kết phê duyệt không hợp lệ.", code="forged"
        ) from exc
    if data.get("u") != getattr(user, "pk", None):
        raise ApprovalLinkError(
            "Liên kết phê duyệt này dành cho một người khác: chỉ người được giao duyệt "
            "mới mở được, sau khi đăng nhập bằng tài khoản của chính mình.",
            code="other_user",
        )
    task_state = (
        TaskState.objects.select_related("task", "revision", "workflow_state")
        .filter(pk=data.get("ts"))
        .first()
    )
    if task_state is None or not user.is_active:
        raise ApprovalLinkError("Liên kết phê duyệt không còn hiệu lực.", code="gone")
    page = task_state.revision.as_object()
    request = ApprovalRequest(task_state=task_state, user=user, page=page)
    # The user must still be one who may decide this step (not merely the one the link
    # was once sent to): a reviewer cannot use any token on the leader's step.
    if request.is_pending and not _user_can_decide(task_state, page, user):
        raise ApprovalLinkError(
            "Tài khoản này không có quyền duyệt bước này.", code="not_allowed"
        )
    return request


def _user_can_decide(task_state: TaskState, page: Page, user) -> bool:
    actions = task_state.task.specific.get_actions(page, user)
    return any(name == "approve" for name, *_ in actions)


@transaction.atomic
def approval_decide(
    *, token: str, user, approve: bool, comment: str = ""
) -> ApprovalRequest:
    """Approve or return (request changes on) the step a link names, once, as `user`."""
    request = approval_request_get(token=token, user=user)
    # Lock the row so two clicks at once do not both decide.
    task_state = TaskState.objects.select_for_update().get(pk=request.task_state.pk)
    if task_state.status != TaskState.STATUS_IN_PROGRESS:
        raise ValidationError("Đã xử lý.", code="already_decided")
    comment = comment.strip()
    if not approve and not comment:
        raise ValidationError(
            "Hãy ghi lý do trả lại để biên tập viên biết cần sửa gì.",
            code="comment_required",
        )
    token_channel = decision_channel.set("link")
    try:
        task_state.task.specific.on_action(
            task_state.specific,
            request.user,
            "approve" if approve else "reject",
            comment=comment,
        )
    finally:
        decision_channel.reset(token_channel)
    task_state.refresh_from_db()
    request.task_state = task_state
    return request


def approval_links_send(*, task_state: TaskState) -> int:
    """Send each user who may decide this step their own signed link, by e-mail and as a
    personal notification (never to a unit's or a ward's shared list)."""
    task = task_state.task.specific
    groups = getattr(task, "groups", None)
    if groups is None:
        return 0
    page = task_state.revision.as_object()
    # The page row, not the revision's copy: a page moved since keeps its ward.
    ward = ward_for_page(Page.objects.filter(pk=page.pk).first() or page)
    User = get_user_model()
    users = User.objects.filter(groups__in=groups.all(), is_active=True).distinct()
    sent = 0
    mails = []
    hours = int(getattr(settings, "LOA_APPROVAL_LINK_HOURS", 72))
    for user in users:
        url = approval_url(
            token=approval_token_make(task_state=task_state, user=user),
            ward=ward,
            absolute=ward is not None,
        )
        title = f"Cần duyệt: {page.title}"
        body = (
            f"Bài \u201c{page.title}\u201d đang chờ bước \u201c{task.name}\u201d. "
            f"Mở liên kết để xem và phê duyệt hoặc trả lại (hiệu lực {hours} giờ)"
        )
        membership = Membership.objects.filter(user=user).select_related("unit").first()
        if membership is not None:
            notification_send(
                ward=membership.ward,
                unit=None,
                recipient=user,
                title=title,
                body=body + ".",  # the notification shows the link itself
                url=url,
                dedupe_key=f"approval:{task_state.pk}:{user.pk}",
            )
        if user.email:
            mails.append((title, f"{body}: {url}", user.email))
        sent += 1
    if mails:
        transaction.on_commit(lambda: _mails_send(mails))
    return sent


def _mails_send(mails: list[tuple[str, str, str]]) -> None:
    for title, body, address in mails:
        try:
            send_mail(title, body, None, [address])
        except OSError:
            # A mail server that is down must not break the workflow; the in-app
            # notification still carries the link.
            logger.warning("approval mail to %s failed", address, exc_info=True)


def audit_workflow_event(
    *, event: str, page: Page, user=None, changes: dict | None = None, approve=False
) -> AuditLog:
    """Record one editorial step (submission, approval, return, publication…)."""
    ward = None
    if user is not None and getattr(user, "is_authenticated", False):
        membership = Membership.objects.filter(user=user).first()
        ward = membership.ward if membership else None
    return audit_record(
        action=AuditLog.Action.APPROVE if approve else AuditLog.Action.UPDATE,
        obj=page,
        actor=user,
        ward=ward,
        object_repr=f"{event}: {page.title}",
        changes={"event": event, **(changes or {})},
    )
