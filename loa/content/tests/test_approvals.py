"""Editorial workflow: audit rows for each step and signed, expiring approval links."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from wagtail.models import Page, Revision, TaskState

from loa.content.approvals import approval_token_make, approval_url
from loa.core import roles
from loa.core.models import AuditLog, Membership, Notification, Unit

from .conftest import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(portal):
    ward = portal["ward"]
    unit = Unit.objects.create(ward=ward, name="Văn phòng")
    User = get_user_model()
    made = {}
    for username, role in [
        ("bientap", roles.EDITOR),
        ("duyet", roles.APPROVER),
        ("lanhdao", roles.LEADER),
    ]:
        user = User.objects.create_user(
            username, email=f"{username}@example.vn", password="x"
        )
        user.groups.add(Group.objects.get(name=role))
        Membership.objects.create(user=user, ward=ward, unit=unit)
        made[username] = user
    return made


@pytest.fixture
def submitted(section, people, django_capture_on_commit_callbacks):
    article = make_article(section, title="Tổ công nghệ số ra quân", publish=False)
    with django_capture_on_commit_callbacks(execute=True):
        article.get_workflow().start(article, people["bientap"])
    article.refresh_from_db()
    return article


def _state(article) -> TaskState:
    return article.current_workflow_state.current_task_state


def _link(client, article, user):
    """The user's link, opened by the user signed in (as the link requires)."""
    client.force_login(user)
    token = approval_token_make(task_state=_state(article), user=user)
    return approval_url(token=token, absolute=False)


def _events(article) -> list[str]:
    return list(
        AuditLog.objects.filter(object_id=str(article.pk))
        .order_by("created_at", "id")
        .values_list("changes__event", flat=True)
    )


def test_submission_sends_reviewers_a_signed_link_by_mail_and_notification(submitted):
    assert _state(submitted).task.name == roles.APPROVER
    note = Notification.objects.get()
    assert note.url.startswith("http") and "/duyet/" in note.url
    # Wagtail sends its own moderation mail too; ours is the one carrying the link.
    ours = [m for m in mail.outbox if note.url in m.body]
    assert [m.to for m in ours] == [["duyet@example.vn"]]
    assert sorted(_events(submitted)) == ["Chuyển đến bước duyệt", "Gửi duyệt"]


def test_link_page_shows_the_article_and_both_buttons_to_its_approver(
    client, submitted, people
):
    response = client.get(_link(client, submitted, people["duyet"]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Tổ công nghệ số ra quân" in html and "Nội dung bài viết để thử." in html
    assert "Phê duyệt" in html and "Trả lại" in html
    assert response["Referrer-Policy"] == "same-origin"


def test_two_link_approvals_publish_the_article_and_are_audited(
    client, submitted, people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_link(client, submitted, people["duyet"]), {"action": "approve"})
    submitted.refresh_from_db()
    assert not submitted.live
    assert _state(submitted).task.name == roles.LEADER

    response = client.post(
        _link(client, submitted, people["lanhdao"]), {"action": "approve"}
    )
    assert "Đã phê duyệt" in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.live
    events = _events(submitted)
    assert events.count("Phê duyệt qua liên kết") == 2
    assert "Xuất bản" in events
    approval_row = AuditLog.objects.filter(
        changes__event="Phê duyệt qua liên kết", actor=people["lanhdao"]
    ).get()
    assert approval_row.action == AuditLog.Action.APPROVE
    published = AuditLog.objects.get(
        changes__event="Xuất bản", object_id=str(submitted.pk)
    )
    assert published.actor == people["lanhdao"]


def test_return_by_link_sends_the_article_back_with_the_comment(
    client, submitted, people
):
    client.post(
        _link(client, submitted, people["duyet"]),
        {"action": "reject", "comment": "Thêm nguồn cho số liệu."},
    )
    submitted.refresh_from_db()
    workflow_state = submitted.current_workflow_state
    assert workflow_state.status == workflow_state.STATUS_NEEDS_CHANGES
    assert workflow_state.current_task_state.comment == "Thêm nguồn cho số liệu."
    assert not submitted.live
    row = AuditLog.objects.get(changes__event="Trả lại qua liên kết")
    assert row.changes["comment"] == "Thêm nguồn cho số liệu."


def test_return_without_a_comment_is_refused(client, submitted, people):
    response = client.post(
        _link(client, submitted, people["duyet"]), {"action": "reject"}
    )
    assert response.status_code == 400
    assert "ghi lý do" in response.content.decode()
    assert _state(submitted).status == TaskState.STATUS_IN_PROGRESS


def test_second_use_of_a_link_shows_already_decided(client, submitted, people):
    url = _link(client, submitted, people["duyet"])
    client.post(url, {"action": "approve"})
    again = client.post(url, {"action": "reject", "comment": "Đổi ý."})
    assert "Đã xử lý" in again.content.decode()
    assert client.get(url).status_code == 200
    assert "Đã xử lý" in client.get(url).content.decode()
    submitted.refresh_from_db()
    assert submitted.current_workflow_state.current_task_state.task.name == roles.LEADER


def test_forged_token_is_refused(client, submitted, people):
    url = _link(client, submitted, people["duyet"])
    forged = url.replace("/duyet/", "/duyet/x")
    response = client.post(forged, {"action": "approve"})
    assert response.status_code == 403
    assert "không hợp lệ" in response.content.decode()
    assert _state(submitted).status == TaskState.STATUS_IN_PROGRESS


def test_expired_token_is_refused(client, submitted, people, settings, monkeypatch):
    import time

    from django.core import signing

    settings.LOA_APPROVAL_LINK_HOURS = 72
    issued_at = time.time() - 73 * 3600
    monkeypatch.setattr(signing.time, "time", lambda: issued_at)
    url = _link(client, submitted, people["duyet"])
    monkeypatch.undo()
    response = client.post(url, {"action": "approve"})
    assert response.status_code == 403
    assert "hết hạn" in response.content.decode()
    assert _state(submitted).status == TaskState.STATUS_IN_PROGRESS


def test_reviewer_cannot_decide_the_leaders_step_with_a_token(
    client, submitted, people
):
    reviewer_url = _link(client, submitted, people["duyet"])
    client.post(reviewer_url, {"action": "approve"})
    submitted.refresh_from_db()
    # The reviewer's own link is spent; a link naming the reviewer on the leader's step
    # (as if one were minted for them) is refused because they are not in that group.
    assert (
        "Đã xử lý" in client.post(reviewer_url, {"action": "approve"}).content.decode()
    )
    response = client.post(
        _link(client, submitted, people["duyet"]), {"action": "approve"}
    )
    assert response.status_code == 403
    submitted.refresh_from_db()
    assert not submitted.live
    assert _state(submitted).status == TaskState.STATUS_IN_PROGRESS


def test_editors_and_reviewers_cannot_publish_directly(submitted, people):
    for username in ("bientap", "duyet"):
        assert not submitted.permissions_for_user(people[username]).can_publish()
    assert submitted.permissions_for_user(people["lanhdao"]).can_publish()


def test_unpublish_and_delete_are_audited(section, people):
    article = make_article(section, title="Bài sẽ gỡ")
    article.unpublish(user=people["lanhdao"])
    article_id = article.pk
    Page.objects.get(pk=article_id).specific.delete()
    unpublished = AuditLog.objects.get(
        changes__event="Gỡ xuất bản", object_id=str(article_id)
    )
    assert unpublished.actor == people["lanhdao"]
    deleted = AuditLog.objects.filter(
        action=AuditLog.Action.DELETE, object_id=str(article_id)
    )
    assert deleted.count() == 1


def test_cancelled_submission_is_audited(submitted, people):
    submitted.current_workflow_state.cancel(user=people["bientap"])
    assert "Hủy gửi duyệt" in _events(submitted)


def test_publish_scheduled_job_publishes_a_page_whose_time_has_come(section):
    from django.utils import timezone

    from loa.content.jobs import publish_scheduled_job

    article = make_article(section, title="Bài hẹn giờ", publish=False)
    article.go_live_at = timezone.now() + timedelta(minutes=1)
    article.save_revision().publish()
    article.refresh_from_db()
    assert not article.live
    # Time passes: the approved go-live moment is now behind us.
    past = timezone.now() - timedelta(minutes=1)
    revision = Revision.objects.exclude(approved_go_live_at=None).get(
        object_id=str(article.pk)
    )
    revision.content["go_live_at"] = past.isoformat()
    revision.approved_go_live_at = past
    revision.save()
    publish_scheduled_job.call(reschedule=False)
    article.refresh_from_db()
    assert article.live
    assert AuditLog.objects.filter(
        changes__event="Xuất bản", object_id=str(article.pk)
    ).exists()


# -- a link is bound to its approver ---------------------------------------------------


def test_a_visitor_with_the_link_is_sent_to_the_login_page(client, submitted, people):
    url = _link(client, submitted, people["lanhdao"])
    client.logout()
    response = client.post(url, {"action": "approve"})
    assert response.status_code == 302
    assert response["Location"].startswith("/dang-nhap/?next=")
    assert _state(submitted).status == TaskState.STATUS_IN_PROGRESS


def test_another_account_with_the_approvers_link_cannot_decide(
    client, submitted, people, portal
):
    """An officer who saw the reviewer's link (earlier: in the unit's notifications)
    can neither open it nor approve with it; nothing changes, nothing is audited."""
    officer = get_user_model().objects.create_user("vhxh", password="x")
    Membership.objects.create(
        user=officer, ward=portal["ward"], unit=Unit.objects.get(name="Văn phòng")
    )
    url = _link(client, submitted, people["duyet"])
    client.force_login(officer)
    for response in (client.get(url), client.post(url, {"action": "approve"})):
        assert response.status_code == 403
        assert "dành cho một người khác" in response.content.decode()
    assert _state(submitted).status == TaskState.STATUS_IN_PROGRESS
    assert not AuditLog.objects.filter(changes__event="Phê duyệt qua liên kết").exists()


def test_a_link_forged_with_a_once_public_key_is_refused(
    client, submitted, people, settings
):
    from django.core import signing

    from loa.content.approvals import SALT

    forged = signing.TimestampSigner(
        key="loa-dev-only-secret-key-change-me", salt=SALT
    ).sign_object({"ts": _state(submitted).pk, "u": people["lanhdao"].pk})
    client.force_login(people["lanhdao"])
    response = client.post(
        approval_url(token=forged, absolute=False), {"action": "approve"}
    )
    assert response.status_code == 403
    assert "không hợp lệ" in response.content.decode()
    assert settings.SECRET_KEY != "loa-dev-only-secret-key-change-me"


def test_a_token_signed_for_another_purpose_is_refused(client, submitted, people):
    from django.core import signing

    other = signing.TimestampSigner(salt="loa.other").sign_object(
        {"ts": _state(submitted).pk, "u": people["duyet"].pk}
    )
    client.force_login(people["duyet"])
    response = client.post(
        approval_url(token=other, absolute=False), {"action": "approve"}
    )
    assert response.status_code == 403
    assert _state(submitted).status == TaskState.STATUS_IN_PROGRESS


def test_the_link_reaches_only_its_approver_in_notifications(client, submitted, people):
    note = Notification.objects.get(url__contains="/duyet/")
    assert note.recipient == people["duyet"] and note.unit is None
    client.force_login(people["duyet"])
    assert note.url in client.get("/thong-bao/").content.decode()
    # The leader manages the ward's plan and sees every shared notification, the editor
    # shares the reviewer's unit: neither sees the reviewer's link.
    for other in ("lanhdao", "bientap"):
        client.force_login(people[other])
        page = client.get("/thong-bao/").content.decode()
        assert "/duyet/" not in page
        assert client.post(f"/thong-bao/{note.pk}/da-doc/").status_code == 404


def test_an_approver_with_two_factor_enters_the_code_before_deciding(
    client, submitted, people
):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=people["duyet"], name="Điện thoại", confirmed=True)
    url = _link(client, submitted, people["duyet"])
    response = client.post(url, {"action": "approve"})
    assert response.status_code == 302
    assert response["Location"].startswith("/dang-nhap/ma-xac-thuc/")
    assert _state(submitted).status == TaskState.STATUS_IN_PROGRESS
