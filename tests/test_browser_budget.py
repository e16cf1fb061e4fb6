"""Phòng Kinh tế, Hạ tầng và Đô thị (the unit the plan charges with budget advice)
enters a budget allocation on the demo, and is warned before an overspend is saved
(issue 15). At an office desk: desktop size."""

import pytest
from django.utils import timezone

from tests.demo_install import query, sign_in, ward_id

pytestmark = [pytest.mark.browser, pytest.mark.slow]
ECONOMY = "Phòng Kinh tế, Hạ tầng và Đô thị"
CULTURE = "Phòng Văn hóa - Xã hội"


def _allocation(demo, ward, unit, source):
    rows = query(
        demo,
        "SELECT a.amount FROM reports_budgetallocation a JOIN core_unit u"
        " ON u.id = a.unit_id WHERE a.ward_id = ? AND u.name = ? AND a.source = ?",
        ward,
        unit,
        source,
    )
    return int(rows[0][0]) if rows else None


def _fill_allocation(page, unit, source, amount, note=""):
    page.select_option("select[name=unit]", label=unit)
    page.select_option("select[name=source]", value=source)
    page.fill("input[name=amount]", amount)
    page.fill("input[name=note]", note)
    page.get_by_role("button", name="Lưu dự toán").click()
    page.wait_for_load_state()


def test_economy_officer_enters_an_allocation_and_is_warned_of_an_overspend(
    demo, browser_page, tmp_path
):
    page = browser_page
    page.set_viewport_size({"width": 1280, "height": 900})
    ward = ward_id(demo, "hai-duong")
    year = timezone.localdate().year

    sign_in(page, demo.base, "kinhte", "/bao-cao/kinh-phi/")
    page.wait_for_url("**/bao-cao/kinh-phi/**")
    assert page.get_by_role("heading", name="Nhập dự toán").is_visible()
    # The demo's culture unit spent beyond its 60.000.000: flagged in words.
    assert "Chi vượt dự toán: Phòng Văn hóa - Xã hội" in page.content()
    page.screenshot(path=tmp_path / "1-budget.png", full_page=True)

    # A new allocation from a source the unit had none of: saved at once.
    _fill_allocation(page, ECONOMY, "xa_hoi_hoa", "3000000", "Tài trợ in tờ rơi")
    assert "Đã lưu dự toán." in page.content()
    assert _allocation(demo, ward, ECONOMY, "xa_hoi_hoa") == 3_000_000

    # Cutting the culture unit's allocation below what it spent: warned, not saved.
    _fill_allocation(page, CULTURE, "ngan_sach", "50000000")
    warning = page.locator(".errorlist.nonfield")
    assert "Vượt dự toán: Phòng Văn hóa - Xã hội (Ngân sách nhà nước)" in (
        warning.inner_text()
    )
    page.screenshot(path=tmp_path / "2-overspend-warning.png", full_page=True)
    assert _allocation(demo, ward, CULTURE, "ngan_sach") == 60_000_000
    # Confirmed, it is saved, and the page flags the overspend.
    page.get_by_label("Xác nhận lưu khi vượt dự toán").check()
    page.get_by_role("button", name="Lưu dự toán").click()
    page.wait_for_load_state()
    assert _allocation(demo, ward, CULTURE, "ngan_sach") == 50_000_000
    assert "Đã lưu dự toán." in page.content()

    # An expense too large for the unit's own 5.000.000: warned before saving.
    page.get_by_role("link", name="Ghi khoản chi").first.click()
    page.wait_for_load_state()
    page.select_option("select[name=source]", value="ngan_sach")
    page.fill("input[name=amount]", "9000000")
    page.fill("input[name=description]", "Thuê chuyên gia thẩm định dự toán")
    page.get_by_role("button", name="Ghi khoản chi").click()
    page.wait_for_load_state()
    assert "Vượt dự toán: Phòng Kinh tế, Hạ tầng và Đô thị" in page.content()
    page.screenshot(path=tmp_path / "3-expense-warning.png", full_page=True)
    page.get_by_label("Xác nhận lưu khi vượt dự toán").check()
    page.get_by_role("button", name="Ghi khoản chi").click()
    page.wait_for_url(f"**/bao-cao/kinh-phi/?nam={year}")
    assert "Chi vượt dự toán: Phòng Kinh tế, Hạ tầng và Đô thị" in page.content()
    page.screenshot(path=tmp_path / "4-flagged.png", full_page=True)


def test_leader_reads_consistent_figures_on_the_dashboard(demo, browser_page, tmp_path):
    page = browser_page
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, demo.base, "lanhdao", "/bao-cao/")
    page.wait_for_url("**/bao-cao/**")
    page.screenshot(path=tmp_path / "dashboard.png", full_page=True)
    radio = page.locator("#so-lieu-radio").inner_text()
    assert "lượt phát thanh" in radio and "tính từ:" in radio
    count = radio.split()[0]
    row = page.locator("tr", has_text="Hệ thống truyền thanh cơ sở").first
    assert row.locator("td").nth(1).inner_text() == count
    assert (
        "tính từ: lượt học viên đăng ký"
        in page.locator("#so-lieu-learners").inner_text()
    )
    if query(demo, "SELECT COUNT(*) FROM reports_expense")[0][0]:
        assert page.locator(".messages.overspent").count() == 1
