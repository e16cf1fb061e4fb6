"""A ward official in a real browser: sign in, open the seed plan, record an activity."""

import pytest

from tests.demo_install import menu_go

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_official_records_an_activity_on_a_phone(live_server, browser_page):
    from loa.plans.demo import DEMO_PASSWORD, demo_load
    from loa.plans.models import Activity

    demo_load()
    page = browser_page
    page.goto(f"{live_server.url}/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill("dichvu")
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.get_by_role("link", name="77/KH-UBND").click()
    assert (
        page.locator("main")
        .get_by_text("Trung tâm Dịch vụ sự nghiệp công")
        .first.is_visible()
    )

    menu_go(page, "Nhiệm vụ")
    page.locator("table a").first.click()
    page.get_by_role("link", name="Ghi nhận hoạt động").click()
    page.get_by_label("Loại hoạt động").select_option("phat_thanh")
    page.get_by_label("Nội dung").fill("Phát thanh chuyên mục Chuyển đổi số tuần 48")
    page.get_by_label("Lượt tiếp cận").fill("4200")
    page.get_by_role("button", name="Lưu hoạt động").click()

    assert page.get_by_text("Đã ghi nhận hoạt động.").is_visible()
    assert Activity.objects.filter(
        title="Phát thanh chuyên mục Chuyển đổi số tuần 48", reach=4200
    ).exists()
