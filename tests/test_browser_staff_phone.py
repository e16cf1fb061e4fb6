"""Staff on a phone (390×844): the header folds behind one "Menu" button, and Phòng Văn
hóa - Xã hội urges a whole unit ("Đôn đốc" on the unit, with a message) whose officer
then reads the notice among their notifications."""

import re

import pytest
from playwright.sync_api import expect

from tests.demo_install import menu_go, query, sign_in, ward_id

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PHONE = {"width": 390, "height": 844}
MESSAGE = "Đề nghị đơn vị rà soát toàn bộ nhiệm vụ và báo cáo trước ngày 20."

# (demo account, words of its unit's name) of the units with an officer on Loa
OFFICERS = [
    ("mattran", "Mặt trận"),
    ("kinhte", "Kinh tế"),
    ("dichvu", "Dịch vụ sự nghiệp công"),
]


def _signed_in(page, base, username):
    page.goto(base + "/dang-nhap/")
    sign_in(page, base, username)
    page.wait_for_url(lambda url: "/dang-nhap/" not in url)
    expect(page.locator("header.top .menu-toggle")).to_be_attached()


def _sign_out(page):
    toggle = page.locator("header.top .menu-toggle")
    if toggle.is_visible():
        toggle.click()
    page.get_by_role("button", name=re.compile("^Đăng xuất")).click()
    page.wait_for_url(lambda url: "/dang-nhap/" in url)


def test_staff_header_folds_behind_a_menu_button_on_a_phone(
    demo, browser_page, tmp_path
):
    page = browser_page
    page.set_default_timeout(30_000)
    assert page.viewport_size == PHONE
    _signed_in(page, demo.base, "vhxh")
    header = page.locator("header.top")
    toggle = header.locator(".menu-toggle")
    nav = page.locator("#staff-nav")
    # Folded entries are out of the accessibility tree: count them all the same.
    entries = nav.get_by_role("link", include_hidden=True)
    sign_out = nav.get_by_role(
        "button", name=re.compile("^Đăng xuất"), include_hidden=True
    )

    # Folded: the brand, "Thông báo" and the button fit in a strip at the top.
    expect(toggle).to_be_visible()
    expect(toggle).to_have_text("Menu")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(header.get_by_role("link", name=re.compile("^Thông báo"))).to_be_visible()
    expect(nav).to_be_hidden()
    count = entries.count()
    assert count >= 10  # Kế hoạch, Nhiệm vụ, Viết bài, … of the culture office
    for i in range(count):
        expect(entries.nth(i)).to_be_hidden()
    expect(sign_out).to_be_hidden()
    folded = header.bounding_box()
    assert folded["height"] < 0.2 * PHONE["height"], folded
    assert header.evaluate("h => h.scrollWidth <= h.clientWidth")  # nothing sticks out
    page.screenshot(path=str(tmp_path / "phone-header-folded.png"))

    # Unfolded: every entry of the role's menu, one under another.
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(nav).to_be_visible()
    for i in range(count):
        expect(entries.nth(i)).to_be_visible()
    expect(sign_out).to_be_visible()
    assert header.bounding_box()["height"] > folded["height"]
    page.screenshot(path=str(tmp_path / "phone-header-open.png"), full_page=True)

    # The button folds it again; an entry opens its page, which starts folded.
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(nav).to_be_hidden()
    toggle.click()
    nav.get_by_role("link", name="Nhiệm vụ", exact=True).click()
    page.wait_for_url(f"{demo.base}/nhiem-vu/")
    expect(page.locator("main h1")).to_be_visible()
    expect(nav).to_be_hidden()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    assert header.bounding_box()["height"] < 0.2 * PHONE["height"]


def _unit_to_urge(demo):
    """(plan id, plan number, unit id, unit name, unfinished tasks, officer) of the
    first unit with an officer on Loa and unfinished tasks in Hải Dương's plan."""
    ward = ward_id(demo, "hai-duong")
    sql = (
        "SELECT p.id, p.number, u.id, u.name, COUNT(*) FROM plans_task t "
        "JOIN plans_plan p ON p.id = t.plan_id JOIN core_unit u ON u.id = t.unit_id "
        "WHERE p.ward_id = ? AND p.status = 'active' AND t.completed_at IS NULL "
        "AND u.name LIKE ? GROUP BY p.id, u.id ORDER BY p.id, u.id"
    )
    for username, words in OFFICERS:
        rows = query(demo, sql, ward, f"%{words}%")
        if rows:
            return (*rows[0], username)
    pytest.fail("Không đơn vị nào có cán bộ trên Loa còn nhiệm vụ chưa hoàn thành")


def test_culture_office_urges_a_whole_unit_and_its_officer_reads_it_on_a_phone(
    demo, browser_page, tmp_path
):
    page = browser_page
    page.set_default_timeout(30_000)
    base = demo.base
    plan_id, number, unit_id, unit, tasks, officer = _unit_to_urge(demo)

    # The culture office opens the plan from the folded menu and finds the unit.
    _signed_in(page, base, "vhxh")
    menu_go(page, "Kế hoạch")
    page.wait_for_url(f"{base}/ke-hoach/")
    page.locator(f"a[href='/ke-hoach/{plan_id}/']").first.click()
    page.wait_for_url(f"{base}/ke-hoach/{plan_id}/")
    section = page.locator(f"#don-vi-{unit_id}")
    expect(section.get_by_role("heading", name=unit)).to_be_visible()
    expect(section.locator(".no-account")).to_have_count(0)  # the officer is on Loa

    section.get_by_text(f"Đôn đốc {unit}", exact=True).click()
    message_box = section.get_by_label("Lời nhắn cho đơn vị (không bắt buộc)")
    expect(message_box).to_be_visible()
    message_box.fill(MESSAGE)
    box = section.get_by_role("button", name="Gửi đôn đốc").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390  # reachable on the phone
    page.screenshot(path=str(tmp_path / "urge-unit-form.png"))
    section.get_by_role("button", name="Gửi đôn đốc").click()

    page.wait_for_url(f"{base}/ke-hoach/{plan_id}/#don-vi-{unit_id}")
    what = "nhiệm vụ" if tasks == 1 else f"{tasks} nhiệm vụ"
    # The page opens at the unit, far below the top: the confirmation is there too, on
    # the screen the officer is looking at.
    confirmation = page.locator(f"#don-vi-{unit_id} .messages")
    expect(confirmation).to_be_visible()
    expect(confirmation).to_be_in_viewport()
    expect(confirmation).to_contain_text(
        re.compile(
            rf"Đã đôn đốc {re.escape(unit)} về {what}: \d+ tài khoản của đơn vị "
            r"nhận được thông báo trên Loa"
        )
    )
    page.screenshot(path=str(tmp_path / "urge-unit-confirmed.png"))
    urges = query(
        demo,
        "SELECT u.username, json_extract(a.changes, '$.message'), "
        "json_extract(a.changes, '$.plan') FROM core_auditlog a "
        "JOIN auth_user u ON u.id = a.actor_id WHERE a.action = 'remind' "
        "AND a.object_type = 'core.unit' AND a.object_id = ?",
        str(unit_id),
    )
    assert ("vhxh", MESSAGE, plan_id) in urges

    # The unit's officer sees the notice from the header, with the message.
    _sign_out(page)
    _signed_in(page, base, officer)
    notices = page.locator("header.top").get_by_role(
        "link", name=re.compile("^Thông báo")
    )
    expect(notices.locator(".badge")).to_be_visible()  # unread
    notices.click()
    page.wait_for_url(f"{base}/thong-bao/")
    notice = page.locator("tr", has_text=MESSAGE).first
    expect(notice).to_be_visible()
    expect(notice).to_contain_text(
        f"Đôn đốc: {tasks} nhiệm vụ chưa hoàn thành — Kế hoạch số {number}"
    )
    expect(notice).to_contain_text(f"{unit} còn {tasks} nhiệm vụ chưa hoàn thành")
    expect(notice).to_contain_text(
        f"Lời nhắn của Cán bộ Phòng Văn hóa - Xã hội: {MESSAGE}"
    )
    page.screenshot(path=str(tmp_path / "urge-unit-officer-notice.png"))

    notice.get_by_role("link", name="Xem nhiệm vụ").click()
    page.wait_for_url(f"{base}/nhiem-vu/")
    expect(page.locator("main h1")).to_be_visible()
    page.screenshot(path=str(tmp_path / "urge-unit-officer-tasks.png"), full_page=True)
