"""Phòng Văn hóa - Xã hội prints on a phone (issue 15): on the three-ward demo, `vhxh`
opens "Ấn phẩm", chooses one of Hải Dương's articles and "Áp phích", previews the PDF in
the page and downloads it; other wards' articles are not offered. Then adds a slogan,
sees it waiting, approves it and prints it as a băng-rôn."""

import shutil
import subprocess

import pytest

from tests.demo_install import menu_go, query, sign_in, ward_id

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ARTICLE = "Cảnh giác cuộc gọi giả danh công an, cán bộ phường"
SLOGAN = "Phường Hải Dương chung tay chuyển đổi số, không ai bị bỏ lại phía sau"


def _looked_at(pdf_path, png_stem):
    """Page 1 of the PDF as a PNG beside the screenshots (to look at)."""
    subprocess.run(  # noqa: S603
        [
            shutil.which("pdftoppm") or "pdftoppm",
            "-png",
            "-singlefile",
            "-scale-to",
            "900",
            str(pdf_path),
            str(png_stem),
        ],
        check=True,
    )


def _article_ids(demo, slug):
    """The live articles of a ward's portal (its site's page tree)."""
    rows = query(
        demo,
        "SELECT p.id FROM wagtailcore_page p "
        "JOIN content_articlepage a ON a.page_ptr_id = p.id "
        "JOIN wagtailcore_page root ON p.path LIKE root.path || '%' "
        "JOIN wagtailcore_site s ON s.root_page_id = root.id "
        "JOIN core_ward w ON w.site_id = s.id "
        "WHERE w.slug = ? AND p.live",
        slug,
    )
    return {row[0] for row in rows}


def test_culture_staff_print_a_poster_and_add_a_slogan_on_a_phone(
    demo, browser_page, tmp_path
):
    page = browser_page
    page.set_default_timeout(60_000)
    base = demo.base
    sign_in(page, base, "vhxh")
    page.wait_for_url("**/ke-hoach/")
    menu_go(page, "Ấn phẩm")  # from the menu, as the officer finds it on a phone
    page.wait_for_url("**/kenh/an-pham/")
    assert page.locator("h1").inner_text() == "Ấn phẩm"

    # Only Hải Dương's articles are offered.
    offered = {
        int(value[1:])
        for value in page.locator("select[name=nguon] option").evaluate_all(
            "options => options.map(o => o.value)"
        )
        if value.startswith("a")
    }
    own = _article_ids(demo, "hai-duong")
    assert offered and offered <= own
    assert not offered & _article_ids(demo, "le-thanh-nghi")
    assert not offered & _article_ids(demo, "thanh-dong")

    # Article + poster → the preview in the page.
    page.locator("select[name=nguon]").select_option(label=ARTICLE)
    page.get_by_label("Áp phích A3").check()
    page.get_by_role("button", name="Xem trước").click()
    page.wait_for_url("**loai=poster**")
    preview = page.locator("iframe.print-preview")
    preview.wait_for()
    src = preview.get_attribute("src")
    assert "xem=1" in src
    inline = page.request.get(base + src)
    assert inline.ok and inline.headers["content-type"] == "application/pdf"
    assert inline.headers["content-disposition"].startswith("inline;")
    assert inline.body().startswith(b"%PDF")
    page.screenshot(path=str(tmp_path / "an-pham.png"), full_page=True)

    # Download: a PDF with a readable ASCII name.
    with page.expect_download() as info:
        page.get_by_role("link", name="Tải tệp PDF").click()
    download = info.value
    name = download.suggested_filename
    assert name.startswith("ap-phich-") and name.endswith(".pdf") and name.isascii()
    saved = tmp_path / name
    download.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF")
    _looked_at(saved, tmp_path / "ap-phich")

    # A slogan: added, waiting, approved (vhxh is a plan manager), then printable.
    page.goto(base + "/kenh/khau-hieu/")
    page.fill("input[name=text]", SLOGAN)
    page.get_by_role("button", name="Thêm khẩu hiệu").click()
    page.wait_for_url("**/kenh/khau-hieu/")
    row = page.locator("table.slogans tr", has_text=SLOGAN)
    assert "Chờ duyệt" in row.inner_text()
    page.screenshot(path=str(tmp_path / "khau-hieu.png"), full_page=True)
    row.get_by_role("button", name="Duyệt").click()
    page.wait_for_url("**/kenh/khau-hieu/")
    row = page.locator("table.slogans tr", has_text=SLOGAN)
    assert "Đã duyệt" in row.inner_text()
    (pk,) = query(
        demo,
        "SELECT id FROM loa_channels_slogan WHERE text = ? AND ward_id = ?",
        SLOGAN,
        ward_id(demo, "hai-duong"),
    )[0]
    assert (
        query(
            demo,
            "SELECT COUNT(*) FROM core_auditlog WHERE action = 'approve' "
            "AND object_type = 'loa_channels.slogan' AND object_id = ?",
            str(pk),
        )[0][0]
        == 1
    )
    row.get_by_role("link", name="In băng-rôn").click()
    page.wait_for_url("**loai=banner**")
    page.locator("iframe.print-preview").wait_for()
    page.screenshot(path=str(tmp_path / "bang-ron.png"), full_page=True)
