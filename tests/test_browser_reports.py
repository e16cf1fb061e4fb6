"""The lead unit in a real browser: read the dashboard, write the six-month report, download it."""

import io

import pytest
from docx import Document

from tests.demo_install import menu_go

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_lead_unit_compiles_and_downloads_the_six_month_report(
    live_server, browser_page
):
    from loa.plans.demo import DEMO_PASSWORD, demo_load
    from loa.reports.demo import reports_demo_load
    from loa.reports.models import UnitNarrative

    reports_demo_load(plan=demo_load()["plan"])
    page = browser_page
    page.goto(f"{live_server.url}/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill("vhxh")
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()

    menu_go(page, "Số liệu, báo cáo")
    page.get_by_label("Từ ngày").fill("2026-01-01")
    page.get_by_label("Đến ngày").fill("2026-06-30")
    page.get_by_role("button", name="Xem").click()
    assert page.locator("figure.chart svg").count() >= 4
    assert page.get_by_text("hội nghị", exact=False).first.is_visible()

    page.get_by_role("link", name="Báo cáo định kỳ").click()
    page.get_by_role("link", name="Kế hoạch số 77/KH-UBND").first.click()
    page.get_by_label("Nội dung của Phòng Văn hóa - Xã hội").fill(
        "Phòng đã tham mưu tổ chức hội nghị và theo dõi, đôn đốc các đơn vị."
    )
    page.get_by_role("button", name="Lưu phần của Phòng Văn hóa - Xã hội").click()
    assert page.get_by_text("Đã lưu phần viết của Phòng Văn hóa - Xã hội.").is_visible()
    assert UnitNarrative.objects.filter(text__startswith="Phòng đã tham mưu").exists()
    assert (
        page.locator(".report-preview")
        .get_by_text("Phòng đã tham mưu tổ chức hội nghị")
        .is_visible()
    )

    with page.expect_download() as info:
        page.get_by_role("link", name="Word (.docx)").click()
    document = Document(io.BytesIO(open(info.value.path(), "rb").read()))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "BÁO CÁO" in text and "Phòng đã tham mưu tổ chức hội nghị" in text
