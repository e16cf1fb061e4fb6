"""Phòng Văn hóa - Xã hội urges a unit from a phone ("Đôn đốc" with a message); the
unit's officer signs in and finds the urge among their notifications and on the task."""

import re
from datetime import date

import pytest

from tests.demo_install import query, sign_in, ward_id

pytestmark = [pytest.mark.browser, pytest.mark.slow]

MESSAGE = "Đề nghị đơn vị báo cáo kết quả trước thứ Sáu tuần này."

# (demo account, words of its unit's name) of the units with an officer on Loa
OFFICERS = [
    ("kinhte", "Kinh tế"),
    ("dichvu", "Dịch vụ sự nghiệp công"),
    ("mattran", "Mặt trận"),
]


def _task_to_urge(demo):
    """An overdue unfinished task of a unit with an officer, else that unit's first
    unfinished task; with the officer's account."""
    ward = ward_id(demo, "hai-duong")
    sql = (
        "SELECT t.id, t.due_date FROM plans_task t "
        "JOIN plans_plan p ON p.id = t.plan_id JOIN core_unit u ON u.id = t.unit_id "
        "WHERE p.ward_id = ? AND p.status = 'active' AND t.completed_at IS NULL "
        "AND u.name LIKE ? ORDER BY t.due_date IS NULL, t.due_date, t.id"
    )
    found = []
    for username, words in OFFICERS:
        rows = query(demo, sql, ward, f"%{words}%")
        if rows:
            found.append((rows[0], username))
    today = date.today().isoformat()
    overdue = [(row, user) for row, user in found if row[1] and row[1] < today]
    (task_id, _), username = (overdue or found)[0]
    return task_id, username


def _sign_out(page):
    toggle = page.get_by_role("button", name="Menu")
    if toggle.is_visible():
        toggle.click()
    page.get_by_role("button", name=re.compile("^Đăng xuất")).click()


def test_lead_unit_urges_a_task_and_the_units_officer_reads_it(
    demo, browser_page, tmp_path
):
    page = browser_page
    page.set_default_timeout(30_000)
    base = demo.base
    task_id, officer = _task_to_urge(demo)

    page.goto(base + "/dang-nhap/")
    sign_in(page, base, "vhxh")
    page.goto(f"{base}/nhiem-vu/{task_id}/")
    page.screenshot(path=str(tmp_path / "urge-task-before.png"), full_page=True)
    page.get_by_label("Lời nhắn cho đơn vị (không bắt buộc)").fill(MESSAGE)
    page.get_by_role("button", name="Đôn đốc", exact=True).click()
    page.get_by_text("Đã đôn đốc").first.wait_for()
    confirmation = page.locator(".messages").inner_text()
    assert "tài khoản của đơn vị nhận được thông báo" in confirmation
    assert page.locator("#don-doc").get_by_text(MESSAGE).is_visible()
    page.screenshot(path=str(tmp_path / "urge-task-after.png"), full_page=True)

    urges = query(
        demo,
        "SELECT u.username, json_extract(a.changes, '$.message') FROM core_auditlog a "
        "JOIN auth_user u ON u.id = a.actor_id WHERE a.action = 'remind' "
        "AND a.object_type = 'plans.task' AND a.object_id = ?",
        str(task_id),
    )
    assert ("vhxh", MESSAGE) in urges

    # The plan's page names the units nobody can be reached at on Loa.
    plan_id = query(demo, "SELECT plan_id FROM plans_task WHERE id = ?", task_id)[0][0]
    page.goto(f"{base}/ke-hoach/{plan_id}/")
    page.screenshot(path=str(tmp_path / "urge-plan-units.png"), full_page=True)

    _sign_out(page)
    page.goto(base + "/dang-nhap/")
    sign_in(page, base, officer)
    page.goto(base + "/thong-bao/")
    notice = page.locator("tr", has_text=MESSAGE).first
    assert notice.is_visible()
    assert "Đôn đốc" in notice.inner_text()
    page.screenshot(
        path=str(tmp_path / "urge-officer-notifications.png"), full_page=True
    )
    notice.get_by_role("link", name="Xem nhiệm vụ").click()
    page.wait_for_url(f"**/nhiem-vu/{task_id}/")
    assert page.locator("#don-doc").get_by_text(MESSAGE).is_visible()
    assert page.get_by_role("button", name="Đôn đốc", exact=True).count() == 0
    page.screenshot(path=str(tmp_path / "urge-officer-task.png"), full_page=True)

    # The officer answers the urge the way the plan asks: an activity on the task.
    page.get_by_role("link", name="Ghi nhận hoạt động").click()
    page.get_by_label("Loại hoạt động").select_option(index=1)
    page.get_by_label("Nội dung").fill(
        "Đã triển khai theo lời nhắc của Phòng Văn hóa - Xã hội"
    )
    page.get_by_label("Lượt tiếp cận").fill("150")
    page.get_by_role("button", name="Lưu hoạt động").click()
    assert page.get_by_text("Đã ghi nhận hoạt động.").is_visible()
    recorded = query(
        demo,
        "SELECT COUNT(*) FROM plans_activity WHERE task_id = ? AND title = ?",
        task_id,
        "Đã triển khai theo lời nhắc của Phòng Văn hóa - Xã hội",
    )
    assert recorded == [(1,)]
    page.screenshot(path=str(tmp_path / "urge-officer-activity.png"), full_page=True)
