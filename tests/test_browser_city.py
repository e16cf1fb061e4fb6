"""City staff on the three-ward demo, on a phone (issue 15): the ward's leader sends a
report ("Gửi báo cáo"), then the city's officer signs in, lands on the city dashboard and
reads the report the ward sent — and never a ward's draft."""

import io

import pytest
from docx import Document

from tests.demo_install import query, sign_in, ward_id

pytestmark = [pytest.mark.browser, pytest.mark.slow]

NUMBER = "57/BC-UBND"  # the number the leader gives the report; nothing else uses it


def test_leader_sends_a_report_and_city_staff_read_it(demo, browser_page, tmp_path):
    page = browser_page
    page.set_default_timeout(20_000)
    base = demo.base  # phường Hải Dương

    # The leader opens the ward's reports and starts the first quarter's report.
    sign_in(page, base, "lanhdao", next_path="/bao-cao/ky/")
    page.wait_for_url("**/bao-cao/ky/")
    page.locator("#id_plan").select_option(index=1)
    page.locator("#id_start").fill("2026-01-01")
    page.locator("#id_end").fill("2026-03-31")
    page.get_by_role("button", name="Lập báo cáo").click()
    page.wait_for_url("**/bao-cao/ky/*/")
    draft_pk = int(page.url.rstrip("/").rsplit("/", 1)[1])
    assert page.locator("#trang-thai").get_by_text("Bản nháp").is_visible()

    # Without a number and a signing date it is not sent, and the leader is told why.
    page.get_by_role("button", name="Gửi báo cáo").click()
    assert page.get_by_text("Chưa gửi được: báo cáo còn thiếu").is_visible()

    page.locator("#id_number").fill(NUMBER)
    page.locator("#id_issued_date").fill("2026-04-05")
    if not page.locator("#id_signer").input_value():
        page.locator("#id_signer").fill("Phạm Thị Thanh Vân")
    page.get_by_role("button", name="Lưu", exact=True).click()
    assert page.get_by_text("Đã lưu phần lời của báo cáo.").is_visible()
    page.get_by_role("button", name="Gửi báo cáo").click()
    assert page.get_by_text("Đã gửi báo cáo lên Thành phố Hải Phòng.").is_visible()
    assert page.locator("#trang-thai").get_by_text("Đã gửi", exact=True).is_visible()
    assert page.get_by_role("button", name="Lưu", exact=True).count() == 0  # frozen
    page.screenshot(path=str(tmp_path / "1-lanh-dao-da-gui.png"), full_page=False)
    audited = query(
        demo,
        "SELECT COUNT(*) FROM core_auditlog WHERE object_type = 'reports.reportdraft'"
        " AND object_id = ? AND action = 'confirm'",
        str(draft_pk),
    )[0][0]
    assert audited == 1

    # The city's officer signs in and lands on the city's dashboard.
    page.context.clear_cookies()
    sign_in(page, base, "thanhpho")
    page.wait_for_url("**/bao-cao/")
    assert "toàn thành phố" in page.locator("h1").inner_text()
    assert "Không có quyền truy cập" not in page.content()
    page.screenshot(path=str(tmp_path / "2-thanh-pho-trang-dau.png"), full_page=False)

    # The reports the wards sent: the leader's is there, the ward's drafts are not.
    page.goto(f"{base}/bao-cao/da-gui/")
    row = page.locator("tr", has_text=NUMBER)
    assert "Phường Hải Dương" in row.inner_text()
    unsent = query(
        demo,
        "SELECT id FROM reports_reportdraft WHERE submitted_at IS NULL AND ward_id = ?",
        ward_id(demo, "hai-duong"),
    )
    assert unsent, "the demo keeps its six-month draft unsent"
    for (pk,) in unsent:
        assert page.locator(f"a[href='/bao-cao/da-gui/{pk}/']").count() == 0
    page.screenshot(path=str(tmp_path / "3-thanh-pho-bao-cao-da-gui.png"))
    row.get_by_role("link").first.click()
    page.wait_for_url(f"**/bao-cao/da-gui/{draft_pk}/")
    assert page.locator(".report-preview").get_by_text(NUMBER).first.is_visible()
    page.screenshot(path=str(tmp_path / "4-thanh-pho-doc-bao-cao.png"))
    with page.expect_download() as info:
        page.get_by_role("link", name="Word (.docx)").click()
    with open(info.value.path(), "rb") as f:
        text = "\n".join(p.text for p in Document(io.BytesIO(f.read())).paragraphs)
    assert "BÁO CÁO" in text

    # A draft, even opened by its address, is not found.
    response = page.goto(f"{base}/bao-cao/da-gui/{unsent[0][0]}/")
    assert response.status == 404
    response = page.goto(f"{base}/bao-cao/ky/{unsent[0][0]}/")
    assert response.status == 404
