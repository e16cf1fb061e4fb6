"""Writes of the portal that other apps ask for (the city library's copies), where an
editor writes, and the notices an article's author gets from the workflow."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import escape
from wagtail.models import Page, Site
from wagtail.rich_text import RichText

from loa.core.models import Ward
from loa.core.services import notification_send

from .models import ArticlePage, SectionPage


def ward_first_section(ward: Ward) -> SectionPage:
    """The first chuyên mục of the ward's own portal (never another ward's)."""
    site = Site.objects.filter(ward=ward).select_related("root_page").first()
    section = (
        SectionPage.objects.descendant_of(site.root_page).order_by("path").first()
        if site is not None
        else None
    )
    if section is None:
        raise ValidationError(
            "Cổng thông tin của phường chưa có chuyên mục để nhận bài."
        )
    return section


def article_draft_create(
    *, ward: Ward, title: str, sapo: str, paragraphs: list[str], by=None
) -> ArticlePage:
    """A draft article in the ward's portal, from plain paragraphs; it goes through the
    ward's approval like any other."""
    section = ward_first_section(ward)
    page = ArticlePage(
        title=title,
        sapo=sapo,
        body=[("paragraph", RichText(f"<p>{escape(p)}</p>")) for p in paragraphs],
        owner=by,
        live=False,
    )
    section.add_child(instance=page)
    page.save_revision(user=by, log_action=True)
    return page


# ---- the editor's journey: where to write, and what happened to what they wrote


def ward_sections_for_writer(user) -> list[SectionPage]:
    """The chuyên mục of the user's own ward in which they may add an article."""
    from loa.core.access import user_ward

    ward = user_ward(user)
    site = (
        Site.objects.filter(ward=ward).select_related("root_page").first()
        if ward is not None
        else None
    )
    if site is None:
        return []
    sections = SectionPage.objects.descendant_of(site.root_page).order_by("path")
    return [
        section
        for section in sections
        if ArticlePage.can_create_at(section)
        and section.permissions_for_user(user).can_add_subpage()
    ]


def article_add_url(section: SectionPage) -> str:
    """Wagtail's editor for a new article in this chuyên mục."""
    return reverse(
        "wagtailadmin_pages:add", args=["content", "articlepage", section.pk]
    )


def _authors(page, *workflow_states) -> list:
    """Who wrote the article: whoever sent it for approval, and its owner."""
    people = []
    for state in workflow_states:
        if state is not None and state.requested_by_id:
            people.append(state.requested_by)
    if page.owner_id:
        people.append(page.owner)
    unique = []
    for person in people:
        if person not in unique:
            unique.append(person)
    return unique


def _notify_authors(*, page, authors, actor, title, body, url, key) -> int:
    """A personal notification to each author of the page's own ward (not to whoever
    did the step themselves)."""
    from loa.core.models import Membership

    from .wards import ward_for_page

    ward = ward_for_page(page)
    sent = 0
    for person in authors:
        if actor is not None and person.pk == getattr(actor, "pk", None):
            continue
        membership = Membership.objects.filter(user=person).first()
        if membership is None or membership.ward_id is None:
            continue
        if ward is not None and membership.ward_id != ward.pk:
            continue
        if not person.is_active:
            continue
        if notification_send(
            ward=membership.ward,
            unit=None,
            recipient=person,
            title=title,
            body=body,
            url=url,
            dedupe_key=f"{key}:{person.pk}",
        ):
            sent += 1
    return sent


def article_returned_notify(*, task_state, user=None) -> int:
    """Tell the article's author that a step of the workflow returned it for changes,
    with the reviewer's comment and a link to the editor."""
    workflow_state = task_state.workflow_state
    page = workflow_state.content_object
    if not isinstance(page, Page):
        return 0
    page = page.specific
    comment = (task_state.comment or "").strip()
    who = (user.get_full_name() or user.get_username()) if user else ""
    step = f"ở bước \u201c{task_state.task.name}\u201d"
    body = (
        f"{who} trả lại bài \u201c{page.title}\u201d {step} để sửa."
        if who
        else f"Bài \u201c{page.title}\u201d bị trả lại {step} để sửa."
    )
    if comment:
        body += f" Lý do: {comment}"
        if not comment.endswith((".", "!", "?")):
            body += "."
    body += " Sửa bài rồi bấm \u201cGửi duyệt lại\u201d trong trang soạn bài."
    return _notify_authors(
        page=page,
        authors=_authors(page, workflow_state),
        actor=user,
        title=f"Bài bị trả lại: {page.title}",
        body=body,
        url=reverse("wagtailadmin_pages:edit", args=[page.pk]),
        key=f"article-returned:{task_state.pk}",
    )


def article_published_notify(*, page, revision_id=None, user=None) -> int:
    """Tell the article's author that it is now on the portal, with the page's link."""
    from wagtail.models import WorkflowState

    from .wards import page_public_url

    page = page.specific
    if not isinstance(page, ArticlePage):
        return 0
    last_workflow = (
        WorkflowState.objects.for_instance(page)
        .filter(status=WorkflowState.STATUS_APPROVED)
        .select_related("requested_by")
        .order_by("-created_at", "-pk")
        .first()
    )
    url = page_public_url(page) or reverse("wagtailadmin_pages:edit", args=[page.pk])
    return _notify_authors(
        page=page,
        authors=_authors(page, last_workflow),
        actor=user,
        title=f"Bài đã xuất bản: {page.title}",
        body=(
            f"Bài \u201c{page.title}\u201d đã được duyệt và đăng trên cổng thông tin "
            "của phường."
        ),
        url=url,
        key=f"article-published:{page.pk}:{revision_id or page.live_revision_id}",
    )
