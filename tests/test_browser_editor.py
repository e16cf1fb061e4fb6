"""The editor's journey on the three-ward demo, at a desk (issue 15): the editor opens
"Viết bài", writes an article in Wagtail's editor — in Vietnamese — and sends it for
approval; the reviewer returns it with a comment from their approval link; the editor
reads Loa's notification, fixes the article and sends it again; the reviewer and then the
leader approve; the article is on the portal and its author is told."""

import re

import pytest

from tests.demo_install import query, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.slow]

TITLE = "Phường mở lớp hướng dẫn cài VNeID cho người cao tuổi"
SAPO = "Tổ công nghệ số cộng đồng hướng dẫn miễn phí tại nhà văn hóa tổ dân phố."
FIXED_SAPO = (
    "Tổ công nghệ số cộng đồng hướng dẫn miễn phí tại nhà văn hóa tổ dân phố, "
    "sáng thứ Bảy hằng tuần (nguồn: Phòng Văn hóa - Xã hội)."
)
PARAGRAPH = "Bà con mang theo điện thoại và căn cước; cán bộ hỗ trợ từng bước."
COMMENT = "Ghi rõ thời gian mở lớp và nguồn tin."


def _latest_note(demo, username, title):
    rows = query(
        demo,
        "SELECT n.title, n.body, n.url FROM core_notification n "
        "JOIN auth_user u ON u.id = n.recipient_id "
        "WHERE u.username = ? AND n.title = ? ORDER BY n.id DESC LIMIT 1",
        username,
        title,
    )
    assert rows, f"no notification {title!r} for {username}"
    return rows[0]


def _sign_in_fresh(page, base, username, next_path="/"):
    page.context.clear_cookies()
    page.goto(f"{base}/dang-nhap/?next={next_path}")
    sign_in(page, base, username, next_path)
    page.wait_for_load_state()


def _decide(page, base, demo, username, *, approve, comment=""):
    """The approver opens their own link from Loa's notification and decides."""
    _, _, url = _latest_note(demo, username, f"Cần duyệt: {TITLE}")
    page.context.clear_cookies()
    page.goto(url)
    assert "/dang-nhap/" in page.url  # the link asks them to sign in first
    sign_in(page, base, username)
    page.get_by_role("heading", name=TITLE).wait_for()
    if comment:
        page.fill("#id_comment", comment)
    page.get_by_role("button", name="Phê duyệt" if approve else "Trả lại").click()
    page.get_by_text("Đã phê duyệt" if approve else "Đã trả lại").first.wait_for()


def _send_for_approval(page):
    submit = page.locator("button[name=action-submit]")
    if not submit.is_visible():
        page.get_by_role("button", name="Thêm thao tác").last.click()
    label = submit.inner_text()
    assert label.startswith("Gửi duyệt"), label
    submit.click()
    page.wait_for_url(re.compile(r"/cms/pages/\d+/(edit/)?$"))


def test_editor_writes_reviewer_returns_editor_fixes_leader_publishes(
    demo, browser_page, tmp_path
):
    page = browser_page
    page.set_viewport_size({"width": 1280, "height": 900})  # an editor at a desk
    page.set_default_timeout(30_000)
    base = demo.base

    # "Viết bài" (the staff menu's entry) after Loa's Vietnamese login.
    page.context.clear_cookies()
    page.goto(f"{base}/viet-bai/")
    assert "/dang-nhap/" in page.url
    sign_in(page, base, "bientap", "/viet-bai/")
    page.get_by_role("heading", name="Viết bài").wait_for()
    page.screenshot(path=str(tmp_path / "1-viet-bai.png"))
    page.get_by_role("link", name="Chuyển đổi số").click()
    page.wait_for_url(re.compile(r"/cms/pages/add/content/articlepage/\d+/$"))

    # Wagtail's editor, in Vietnamese.
    page.get_by_role("button", name="Lưu bản nháp").wait_for()
    html = page.content()
    for english in ("Save draft", "More actions", "Page title", "Insert a block"):
        assert english not in html, english
    page.locator("#id_title").fill(TITLE)
    page.locator("#id_sapo").fill(SAPO)
    page.get_by_role("button", name=re.compile("Chèn khối")).first.click()
    page.get_by_role("option", name=re.compile("Đoạn văn")).click()
    page.locator(".Draftail-Editor [contenteditable=true]").last.click()
    page.keyboard.type(PARAGRAPH)
    page.locator("#id_title").click()  # leave the editor: Draftail saves its state
    page.wait_for_function(
        "t => [...document.querySelectorAll('input[type=hidden], textarea')]"
        ".some(i => i.value.includes(t))",
        arg="từng bước",
    )
    page.screenshot(path=str(tmp_path / "2-editor.png"), full_page=True)
    _send_for_approval(page)
    said = page.locator("body").inner_text()
    assert f"Đã tạo trang “{TITLE}” và gửi duyệt." in said
    assert "submitted for moderation" not in said
    page.screenshot(path=str(tmp_path / "3-submitted.png"))
    article_id = query(demo, "SELECT id FROM wagtailcore_page WHERE title = ?", TITLE)[
        0
    ][0]

    # The reviewer returns it with a comment.
    _decide(page, base, demo, "duyet", approve=False, comment=COMMENT)
    page.screenshot(path=str(tmp_path / "4-returned.png"))

    # The editor reads Loa's notification and opens the article from it.
    _sign_in_fresh(page, base, "bientap")
    page.goto(f"{base}/thong-bao/")
    notes = page.locator("main").inner_text()
    assert f"Bài bị trả lại: {TITLE}" in notes and COMMENT in notes
    page.screenshot(path=str(tmp_path / "5-notification.png"))
    page.locator(f'main a[href="/cms/pages/{article_id}/edit/"]').first.click()
    page.wait_for_url(re.compile(rf"/cms/pages/{article_id}/edit/$"))
    page.get_by_role("button", name="Lưu bản nháp").wait_for()
    page.locator("#id_sapo").fill(FIXED_SAPO)
    _send_for_approval(page)
    assert f"Đã gửi duyệt trang “{TITLE}”." in page.locator("body").inner_text()

    # The reviewer and the leader approve; the last approval publishes.
    _decide(page, base, demo, "duyet", approve=True)
    _decide(page, base, demo, "lanhdao", approve=True)
    page.screenshot(path=str(tmp_path / "6-approved.png"))
    assert query(
        demo, "SELECT live FROM wagtailcore_page WHERE id = ?", article_id
    ) == [(1,)]

    # The author is told, with the article's address on the portal.
    title, _, url = _latest_note(demo, "bientap", f"Bài đã xuất bản: {TITLE}")
    page.context.clear_cookies()
    page.goto(url)
    page.get_by_role("heading", name=TITLE).wait_for()
    assert FIXED_SAPO in page.locator("main").inner_text()
    page.screenshot(path=str(tmp_path / "7-portal.png"), full_page=True)
