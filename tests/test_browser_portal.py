"""The editorial path in a real browser: an editor writes, a reviewer and a leader approve
through their signed links, a visitor reads the article in its chuyên mục, and staff post
its default deliveries by hand (no channel has an access token: manual mode)."""

import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Phường ra mắt điểm hỗ trợ dịch vụ công trực tuyến"
SAPO = "Từ tháng này, bà con được hướng dẫn nộp hồ sơ trực tuyến ngay tại nhà văn hóa."
PARAGRAPH = "Tổ công nghệ số cộng đồng trực vào sáng thứ Bảy hằng tuần."


def _wagtail_root_ensure():
    """Recreate the tree root Wagtail's migration made; an earlier transactional test
    flushed it (serialized_rollback trips over content types)."""
    from django.conf import settings
    from wagtail.models import Collection, Locale, Page

    Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    if Page.get_first_root_node() is None:
        Page.add_root(title="Root", slug="root")
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")


def _approval_link(username):
    from django.contrib.auth import get_user_model
    from wagtail.models import TaskState

    from loa.content.approvals import approval_token_make, approval_url
    from loa.core.models import Notification

    user = get_user_model().objects.get(username=username)
    state = TaskState.objects.filter(status=TaskState.STATUS_IN_PROGRESS).get()
    # The link the user was sent (their in-app notification carries it).
    note = Notification.objects.filter(
        dedupe_key=f"approval:{state.pk}:{user.pk}"
    ).get()
    assert note.url.endswith("/")
    return approval_url(
        token=approval_token_make(task_state=state, user=user), absolute=False
    ), note.url


def _related_task_set(article, task):
    """Link the draft to a plan task, as the editor would in the "related task" field:
    on the page and on the revision the workflow will publish."""
    revision = article.latest_revision
    revision.content["related_task"] = task.pk
    revision.save(update_fields=["content"])
    article.related_task = task
    article.save(update_fields=["related_task"])


def test_editor_writes_reviewer_and_leader_approve_visitor_reads(
    live_server, browser_page, settings
):
    from loa.channels.models import Delivery
    from loa.content.models import ArticlePage, SectionPage
    from loa.content.starter import content_starter_load
    from loa.plans.demo import DEMO_PASSWORD, demo_load
    from loa.plans.models import Activity, Task

    # The default channels, none configured: every delivery waits for a person.
    settings.LOA_CHANNELS_DEFAULT = ["zalo", "facebook", "youtube", "led"]
    settings.LOA_ZALO_OA_ACCESS_TOKEN = ""
    settings.LOA_FACEBOOK_PAGE_TOKEN = ""
    settings.LOA_YOUTUBE_ACCESS_TOKEN = ""
    _wagtail_root_ensure()
    demo_load()
    content_starter_load()
    section = SectionPage.objects.get(slug="chuyen-doi-so")
    page = browser_page
    page.set_viewport_size({"width": 1280, "height": 900})
    page.set_default_timeout(20_000)

    # The editor writes the article in Wagtail and submits it to the workflow.
    page.goto(f"{live_server.url}/cms/login/")
    page.locator("input[name=username]").fill("bientap")
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.locator("form button[type=submit]").first.click()
    page.wait_for_url(re.compile(r"/cms/$"))
    page.goto(f"{live_server.url}/cms/pages/add/content/articlepage/{section.pk}/")
    page.locator("#id_title").fill(TITLE)
    page.locator("#id_sapo").fill(SAPO)
    page.get_by_role(
        "button", name=re.compile(r"Insert a block|Chèn", re.I)
    ).first.click()
    page.get_by_role("option", name=re.compile("Đoạn văn")).click()
    editor = page.locator(".Draftail-Editor [contenteditable=true]").last
    editor.click()
    page.keyboard.type(PARAGRAPH)
    page.locator("#id_title").click()  # leave the editor: Draftail saves its state
    # Draftail writes to its hidden input after a short debounce; wait for it.
    page.wait_for_function(
        "t => [...document.querySelectorAll('input[type=hidden], textarea')]"
        ".some(i => i.value.includes(t))",
        arg="thứ Bảy hằng tuần",
    )
    submit = page.locator("button[name=action-submit]")
    if not submit.is_visible():
        page.get_by_role(
            "button", name=re.compile(r"More actions|Thêm", re.I)
        ).last.click()
    submit.click()
    page.wait_for_url(re.compile(r"/cms/pages/\d+/(edit/)?$"))
    article = ArticlePage.objects.get(title=TITLE)
    assert not article.live
    task = Task.objects.filter(unit__name__icontains="Văn hóa").order_by("pk").first()
    task = task or Task.objects.order_by("pk").first()
    _related_task_set(article, task)

    # The reviewer and the leader each open their own link: it asks them to sign in,
    # then shows the article.
    for username in ("duyet", "lanhdao"):
        context = page.context.browser.new_context()
        visitor = context.new_page()
        path, sent_url = _approval_link(username)
        assert "/duyet/" in sent_url
        visitor.goto(f"{live_server.url}{path}")
        visitor.wait_for_url(re.compile(r"/dang-nhap/"))
        visitor.locator("input[name=username]").fill(username)
        visitor.locator("input[name=password]").fill(DEMO_PASSWORD)
        visitor.locator("form button[type=submit]").first.click()
        visitor.get_by_role("heading", name=TITLE).wait_for()
        assert visitor.get_by_role("heading", name=TITLE).is_visible()
        assert visitor.get_by_text(PARAGRAPH).is_visible()
        visitor.get_by_role("button", name="Phê duyệt").click()
        visitor.get_by_role("heading", name="Đã phê duyệt").wait_for()
        context.close()

    article.refresh_from_db()
    assert article.live

    # A visitor finds it in the chuyên mục and reads it.
    context = page.context.browser.new_context()
    visitor = context.new_page()
    visitor.goto(f"{live_server.url}{section.url}")
    visitor.get_by_role("link", name=TITLE).first.click()
    visitor.get_by_role("heading", name=TITLE).wait_for()
    assert visitor.get_by_text(PARAGRAPH).is_visible()
    context.close()

    # Its deliveries were made on publishing; with no access tokens they wait for staff.
    deliveries = {d.channel: d for d in Delivery.objects.filter(page_id=article.pk)}
    assert {"zalo", "facebook"} <= set(deliveries)
    for channel in ("zalo", "facebook"):
        assert deliveries[channel].status == Delivery.Status.MANUAL, channel

    # Staff of the ward see them, copy the package, post by hand and record the link.
    context = page.context.browser.new_context()
    staff = context.new_page()
    staff.set_default_timeout(20_000)
    staff.goto(f"{live_server.url}/kenh/giao/")
    staff.wait_for_url(re.compile(r"/dang-nhap/"))
    staff.locator("input[name=username]").fill("vhxh")
    staff.locator("input[name=password]").fill(DEMO_PASSWORD)
    staff.locator("form button[type=submit]").first.click()
    staff.wait_for_url(re.compile(r"/kenh/giao/$"))
    for channel in ("zalo", "facebook"):
        row = staff.locator(
            "tr",
            has=staff.get_by_role(
                "link", name=deliveries[channel].get_channel_display(), exact=True
            ),
        ).filter(has_text=TITLE)
        assert row.count() == 1, channel
        assert "thủ công" in row.inner_text().lower(), row.inner_text()
    staff.get_by_role(
        "link", name=deliveries["facebook"].get_channel_display(), exact=True
    ).first.click()
    staff.wait_for_url(re.compile(rf"/kenh/giao/{deliveries['facebook'].pk}/$"))
    package = staff.locator("#package-text").input_value()
    assert TITLE in package or SAPO[:40] in package
    post_url = "https://www.facebook.com/phuong/posts/123456"
    staff.locator("input[name=url]").fill(post_url)
    staff.get_by_role("button", name="Đã đăng").click()
    staff.get_by_role("link", name=post_url).wait_for()
    assert staff.locator("p", has_text="Trạng thái").locator("strong").inner_text() == (
        Delivery.Status.SENT.label
    )
    context.close()

    delivery = Delivery.objects.get(pk=deliveries["facebook"].pk)
    assert delivery.status == Delivery.Status.SENT
    assert delivery.external_url == post_url
    assert delivery.activity_id is not None
    activity = Activity.objects.get(pk=delivery.activity_id)
    assert activity.task_id == task.pk
    assert activity.evidence_url == post_url
