"""The three-ward demo exactly as `make run` loads it (`loa setup`, then `loa serve`), walked
by a resident with no account on a phone, at each ward's own address: read an article
with its picture, ask the assistant about the ward's plan and without diacritics, ask for
a volunteer of their tổ dân phố, register for a course and open a lesson, open the LED
screen, verify a certificate. Each ward must answer with its own records."""

import subprocess
from pathlib import Path

import pytest

from tests.demo_install import WARDS, menu_go, query, sign_in, ward_id

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _ask(page, question):
    """Ask on the assistant's page and return the page's text once the answer is there."""
    page.fill("textarea[name=question], input[name=question]", question)
    page.get_by_role("button", name="Hỏi", exact=True).click()
    page.locator("main").get_by_text(f"Bạn hỏi: {question}").wait_for()
    return page.locator("main").inner_text()


def _certificate_code(demo, slug):
    return query(
        demo,
        "SELECT c.code FROM learning_certificate c "
        "JOIN learning_learner l ON l.id = c.learner_id "
        "WHERE l.ward_id = ? AND NOT c.is_revoked ORDER BY c.id LIMIT 1",
        ward_id(demo, slug),
    )[0][0]


@pytest.mark.parametrize(("slug", "host", "name", "plan_number"), WARDS)
def test_resident_uses_their_wards_portal_on_a_phone(
    demo, browser_page, slug, host, name, plan_number, tmp_path
):
    page = browser_page
    page.set_default_timeout(20_000)
    base = f"http://{host}:{demo.port}"
    the_ward_id = ward_id(demo, slug)

    # The portal of the ward, with its name, and an article whose picture loads.
    page.goto(base + "/")
    assert name in page.locator("header.top .brand").inner_text()
    assert f"Ủy ban nhân dân phường {name}" in page.locator("footer").inner_text()
    page.get_by_role("link", name="Cảnh giác cuộc gọi giả danh công an").first.click()
    page.wait_for_url("**/chuyen-doi-so/canh-giac-cuoc-goi-gia-danh-cong-an/")
    picture = page.locator("figure.lead-image img")
    picture.scroll_into_view_if_needed()
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=picture.element_handle()
    )
    page.screenshot(path=str(tmp_path / f"{slug}-article.png"))

    # The assistant's page: a question about the ward's own plan, answered from it.
    page.get_by_role("link", name="Hỏi trợ lý").first.click()
    answer = _ask(page, "Kế hoạch của phường giao Phòng Văn hóa - Xã hội nhiệm vụ gì?")
    assert "Phòng Văn hóa - Xã hội" in answer
    assert "chưa có thông tin" not in answer.lower()
    assert plan_number in answer  # the ward's own plan is cited, not the seed's
    if slug != "hai-duong":
        assert "77/KH-UBND" not in answer

    # The assistant's own page has no floating button over the conversation.
    assert page.locator(".loa-chat-open").count() == 0

    # The widget on the portal, without diacritics, then a volunteer of the resident's
    # tổ dân phố.
    page.goto(base + "/")
    page.locator(".loa-chat-open").click()
    page.locator("#loa-chat input, #loa-chat textarea").first.fill(
        "kich hoat vneid muc 2 o dau"
    )
    page.locator("#loa-chat input, #loa-chat textarea").first.press("Enter")
    page.wait_for_function(
        "() => !document.querySelector('#loa-chat').innerText.includes('Đang tìm')"
    )
    assert "Công an" in page.locator("#loa-chat").inner_text()
    page.locator("#loa-chat").get_by_role(
        "button", name="Gặp tình nguyện viên"
    ).last.click()
    pick = page.locator("#loa-chat select").last
    pick.select_option(label="Tổ dân phố số 2")
    page.locator("#loa-chat").get_by_role("button", name="Gửi yêu cầu").click()
    page.locator("#loa-chat").get_by_text("Đã chuyển yêu cầu").wait_for()
    page.screenshot(path=str(tmp_path / f"{slug}-widget.png"))
    rows = query(
        demo,
        "SELECT v.ward_id, g.name FROM assistant_volunteerrequest v "
        "JOIN core_residentialgroup g ON g.id = v.residential_group_id "
        "ORDER BY v.id DESC LIMIT 1",
    )
    assert rows == [(the_ward_id, "Tổ dân phố số 2")]

    # A question off the assistant's subjects sharing the ward's words gets a friendly
    # "ngoài phạm vi" and takes no officer's time; one on its subjects that the
    # knowledge base cannot answer becomes a ticket of this ward.
    def ticket_count():
        return query(demo, "SELECT COUNT(*) FROM assistant_ticket")[0][0]

    before = ticket_count()
    page.goto(base + "/tro-ly/")
    said = _ask(page, "Sân bóng đá mini của tổ dân phố mở cửa đến mấy giờ tối thứ Bảy?")
    assert "ngoài phạm vi" in said, said
    assert ticket_count() == before
    said = _ask(
        page,
        "Tổ công nghệ số cộng đồng của tổ dân phố số 2 họp vào ngày nào trong tháng?",
    )
    assert "chuyển tới cán bộ" in said, said
    tickets = query(
        demo,
        "SELECT t.ward_id FROM assistant_ticket t ORDER BY t.id DESC LIMIT 1",
    )
    assert tickets == [(the_ward_id,)]
    # Sources with long addresses wrap: the conversation never gets wider than the
    # phone (a wider page zooms out and the "Hỏi" button moves out of reach).
    _ask(page, "Tài khoản định danh điện tử VNeID có mấy mức?")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.get_by_role("button", name="Hỏi", exact=True).click(trial=True, timeout=5_000)

    # Register for a course, then reach a lesson.
    page.goto(base + "/hoc/")
    page.get_by_role("link", name="Đăng ký học").click()
    page.fill("input[name=name]", f"Nguyễn Thị Thử {slug}")
    page.fill("input[name=birth_year]", "1968")
    page.select_option("select[name=residential_group]", label="Tổ dân phố số 3")
    page.check("input[name=consent]")
    page.get_by_role("button", name="Đăng ký", exact=True).click()
    assert "Bạn đã đăng ký học thành công" in page.locator("main").inner_text()
    page.locator("ul.cards a").first.click()
    page.locator("ol.lessons a").first.click()
    assert page.locator("article h1").inner_text()
    learners = query(
        demo,
        "SELECT l.ward_id, g.ward_id FROM learning_learner l "
        "JOIN core_residentialgroup g ON g.id = l.residential_group_id "
        "WHERE l.name = ?",
        f"Nguyễn Thị Thử {slug}",
    )
    assert learners == [(the_ward_id, the_ward_id)]

    # The LED screen of the ward.
    page.goto(base + "/led/cong-uy-ban/")
    assert name in page.title()

    # A certificate of this ward verifies; one of another ward does not, here.
    code = _certificate_code(demo, slug)
    page.goto(base + "/xac-minh/")
    page.fill("input[name=ma]", code)
    page.keyboard.press("Enter")
    page.get_by_text("Giấy chứng nhận hợp lệ").wait_for()
    assert f"phường {name}" in page.locator("main").inner_text()
    other = next(s for s, *_ in WARDS if s != slug)
    page.goto(f"{base}/xac-minh/{_certificate_code(demo, other)}/")
    assert "Không tìm thấy giấy chứng nhận" in page.locator("main").inner_text()


def test_leader_sets_the_portal_footer_and_is_told_of_a_bad_address(demo, browser_page):
    from loa.plans.demo import DEMO_PASSWORD

    page = browser_page
    page.set_default_timeout(20_000)
    base = f"http://127.0.0.1:{demo.port}"
    page.goto(base + "/dang-nhap/")
    page.fill("input[name=username]", "lanhdao")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    menu_go(page, "Cổng thông tin")
    assert "chỉ mở được trên chính máy chủ" in page.locator("main").inner_text()
    page.fill("input[name=public_address]", "phuong hai duong")
    page.fill("input[name=phone]", "0220 3850 000")
    page.get_by_role("button", name="Lưu").click()
    assert "https://ten-mien.gov.vn" in page.locator("main").inner_text()
    page.fill("input[name=public_address]", base)
    page.fill("input[name=responsible_person]", "Văn phòng HĐND và UBND phường")
    page.get_by_role("button", name="Lưu").click()
    page.get_by_text("Đã lưu thông tin cổng thông tin").wait_for()
    # A visitor's page shows it in the footer.
    visitor = page.context.browser.new_page()
    visitor.goto(base + "/")
    footer = visitor.locator("footer").inner_text()
    assert "0220 3850 000" in footer and "Văn phòng HĐND và UBND phường" in footer


SUBMIT_FOR_APPROVAL = """
from django.contrib.auth import get_user_model
from loa.content.models import ArticlePage, SectionPage
from loa.core.models import Ward
ward = Ward.objects.get(slug="hai-duong")
section = SectionPage.objects.descendant_of(ward.site.root_page).first()
article = ArticlePage(
    title="Phường ra mắt điểm hỗ trợ dịch vụ công trực tuyến",
    sapo="Người dân được hướng dẫn nộp hồ sơ trực tuyến tại nhà văn hóa.",
    body=[("paragraph", "<p>Điểm hỗ trợ mở cửa sáng thứ Bảy hằng tuần.</p>")],
    live=False,
)
section.add_child(instance=article)
article.save_revision()
article.get_workflow().start(article, get_user_model().objects.get(username="bientap"))
print("BAI", article.pk)
"""


def test_only_the_named_approver_opens_an_approval_link(demo, browser_page, tmp_path):
    """An article goes for approval: the reviewer and then the leader each open their
    own link from their notifications on a phone and approve; an officer who gets hold of
    a link can do nothing with it, and the audit log names who really approved."""
    done = subprocess.run(
        [demo.loa, "shell", "-c", SUBMIT_FOR_APPROVAL],
        env=demo.env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    article_id = int(done.stdout.split("BAI ")[-1].split()[0])
    page = browser_page
    page.set_default_timeout(20_000)
    base = f"http://127.0.0.1:{demo.port}"

    def link_of(username):
        return query(
            demo,
            "SELECT n.url FROM core_notification n JOIN auth_user u "
            "ON u.id = n.recipient_id WHERE u.username = ? ORDER BY n.id DESC LIMIT 1",
            username,
        )[0][0]

    # The Phòng VH-XH officer manages the ward's plan: the reviewer's link is not in
    # their notifications, and the link itself refuses them.
    page.goto(base + "/dang-nhap/")
    sign_in(page, base, "vhxh")
    page.goto(base + "/thong-bao/")
    assert "Cần duyệt" not in page.locator("main").inner_text()
    page.goto(link_of("duyet"))
    assert "dành cho một người khác" in page.locator("main").inner_text()
    assert page.get_by_role("button", name="Phê duyệt").count() == 0
    page.screenshot(path=str(tmp_path / "approval-refused.png"))
    page.context.clear_cookies()

    # The reviewer opens the link from a message: first the login, then the article.
    page.goto(link_of("duyet"))
    assert "/dang-nhap/" in page.url
    sign_in(page, base, "duyet")
    page.get_by_role("button", name="Phê duyệt").click()
    page.get_by_text("Đã phê duyệt").first.wait_for()
    page.context.clear_cookies()

    # The leader finds theirs among their own notifications.
    page.goto(base + "/dang-nhap/")
    sign_in(page, base, "lanhdao")
    page.goto(base + "/thong-bao/")
    page.get_by_role("link", name="Mở trang duyệt bài").first.click()
    assert "Phường ra mắt điểm hỗ trợ" in page.locator("main").inner_text()
    page.screenshot(path=str(tmp_path / "approval-leader.png"))
    page.get_by_role("button", name="Phê duyệt").click()
    page.get_by_text("Đã phê duyệt").first.wait_for()

    assert query(
        demo, "SELECT live FROM wagtailcore_page WHERE id = ?", article_id
    ) == [(1,)]
    approvers = query(
        demo,
        "SELECT u.username FROM core_auditlog a JOIN auth_user u ON u.id = a.actor_id "
        "WHERE a.object_id = ? AND json_extract(a.changes, '$.event') = ? "
        "ORDER BY a.id",
        str(article_id),
        "Phê duyệt qua liên kết",
    )
    assert approvers == [("duyet",), ("lanhdao",)]


def test_culture_office_imports_a_plan_reviews_it_and_assigns_it_on_the_first_click(
    demo, browser_page, tmp_path
):
    """Phòng Văn hóa - Xã hội, which the plan charges with running it: upload, review
    (the blank extra task row left empty), confirm once: the tasks are assigned. The
    seed is already the ward's plan 77, so the officer renumbers it."""
    seed = Path(__file__).resolve().parents[1] / "loa" / "data" / "seed"
    page = browser_page
    page.set_viewport_size({"width": 1280, "height": 900})
    page.set_default_timeout(60_000)
    base = f"http://127.0.0.1:{demo.port}"
    page.goto(base + "/dang-nhap/")
    sign_in(page, base, "vhxh")
    page.goto(base + "/ke-hoach/nhap/")
    page.set_input_files(
        "input[name=file]", str(seed / "ke-hoach-77-KH-UBND-2026.ocr.txt")
    )
    page.get_by_role("button", name="Đọc văn bản").click()
    page.wait_for_url("**/ra-soat/**")
    page.fill("input[name=plan-number]", "78/KH-UBND")
    page.screenshot(path=str(tmp_path / "plan-review.png"), full_page=False)
    page.get_by_role("button", name="Xác nhận và giao nhiệm vụ").click()
    page.get_by_text("nhiệm vụ được giao cho các đơn vị").wait_for()
    plan_tasks = query(
        demo,
        "SELECT COUNT(*) FROM plans_task t JOIN plans_plan p ON p.id = t.plan_id "
        "WHERE p.number = ? AND p.ward_id = ?",
        "78/KH-UBND",
        ward_id(demo, "hai-duong"),
    )
    assert plan_tasks[0][0] >= 10


def test_a_learner_continues_on_another_phone_with_the_key_never_in_an_address(
    demo, browser_page, tmp_path
):
    """Sign up on one phone, read the key on "Dữ liệu của tôi", type it on another
    phone: the learner continues, and no address the browser used carries the key."""
    page = browser_page
    page.set_default_timeout(20_000)
    base = f"http://thanh-dong.localhost:{demo.port}"
    page.goto(base + "/hoc/dang-ky/")
    page.fill("input[name=name]", "Lê Thị Học Tiếp")
    page.fill("input[name=birth_year]", "1970")
    page.select_option("select[name=residential_group]", label="Tổ dân phố số 1")
    page.check("input[name=consent]")
    page.get_by_role("button", name="Đăng ký", exact=True).click()
    page.goto(base + "/hoc/cua-toi/")
    key = page.locator("main code").first.inner_text().strip()
    assert key

    other = page.context.browser.new_context(viewport={"width": 390, "height": 844})
    phone = other.new_page()
    phone.set_default_timeout(20_000)
    visited = []
    phone.on("request", lambda request: visited.append(request.url))
    phone.goto(base + "/hoc/")
    phone.get_by_role("link", name="Tiếp tục học").first.click()
    phone.locator("main input[type=text], main input:not([type])").first.fill(key)
    phone.get_by_role("button", name="Tiếp tục học").click()
    phone.wait_for_url("**/hoc/")
    phone.goto(base + "/hoc/cua-toi/")
    assert "Lê Thị Học Tiếp" in phone.locator("main").inner_text()
    phone.screenshot(path=str(tmp_path / "learner-resumed.png"))
    assert not [url for url in visited if key in url]
    # A wrong key is told in Vietnamese and changes nothing.
    phone.goto(base + "/hoc/tiep-tuc/")
    phone.locator("main input[type=text], main input:not([type])").first.fill("sai")
    phone.get_by_role("button", name="Tiếp tục học").click()
    assert phone.locator("main .errorlist").inner_text().strip()
    other.close()
