"""Trung tâm Dịch vụ sự nghiệp công's officer does the weekly radio segment on a phone:
builds this week's bulletin from the ward's published articles, listens to it, approves
it, and finds it approved on the desk and in the public radio archive."""

import re

import pytest

from tests.demo_install import menu_go, query, sign_in, ward_id

pytestmark = [pytest.mark.browser, pytest.mark.slow]

OFFICER = "dichvu"  # "Cán bộ Trung tâm Dịch vụ sự nghiệp công" of the demo


def _audio_state(page) -> dict:
    """Wait until the player has read the audio's length, then report it."""
    page.wait_for_function(
        "() => { const a = document.querySelector('#radio-player');"
        " return a && a.readyState >= 1 && isFinite(a.duration) && a.duration > 0; }",
        timeout=60_000,
    )
    return page.evaluate(
        "() => { const a = document.querySelector('#radio-player');"
        " return {duration: a.duration, readyState: a.readyState,"
        " src: a.currentSrc, error: a.error && a.error.code}; }"
    )


def test_service_centre_officer_builds_listens_and_approves_the_weeks_bulletin(
    demo, browser_page, tmp_path
):
    page = browser_page
    page.set_default_timeout(30_000)
    base = demo.base
    unit = query(
        demo,
        "SELECT u.name FROM core_unit u JOIN core_membership m ON m.unit_id = u.id "
        "JOIN auth_user a ON a.id = m.user_id WHERE a.username = ?",
        OFFICER,
    )[0][0]
    assert "Dịch vụ sự nghiệp công" in unit

    sign_in(page, base, OFFICER)
    page.wait_for_url("**/ke-hoach/")
    menu_go(page, "Phát thanh")  # the officer's way in, from the menu on a phone
    page.wait_for_url(re.compile(r"/kenh/phat-thanh/$"))
    assert page.get_by_role("heading", level=1).inner_text().startswith("Phát thanh")
    page.screenshot(path=str(tmp_path / "1-ban-phat-thanh.png"), full_page=True)

    # Build this week's bulletin (reads it aloud with espeak-ng on the server).
    build = page.get_by_role("button", name=re.compile("bản tin tuần này"))
    with page.expect_navigation(timeout=180_000):
        build.click()
    page.wait_for_url(re.compile(r"/kenh/phat-thanh/\d+/$"))
    segment_id = int(re.search(r"/kenh/phat-thanh/(\d+)/$", page.url)[1])
    body = page.locator("main").inner_text()
    assert "Đã soạn bản tin" in body and "Chờ duyệt" in body
    assert "Tin thứ nhất." in body and "Tin thứ 1" not in body
    assert not re.search(r"\d{4}-W\d{2}", body)  # weeks written out, not ISO codes
    assert re.search(
        r"Tuần \d{1,2} \(\d{2}/\d{2}( ?/\d{4})? – \d{2}/\d{2}/\d{4}\)", body
    )

    # Listen: the player loads the compressed segment and knows its length.
    state = _audio_state(page)
    assert state["error"] is None
    assert state["src"].endswith(f"/kenh/phat-thanh/{segment_id}/tep/mp3/")
    assert 20 < state["duration"] < 300
    page.screenshot(path=str(tmp_path / "2-nghe-ban-tin.png"), full_page=True)
    page.locator("#radio-player").scroll_into_view_if_needed()
    page.screenshot(path=str(tmp_path / "2b-trinh-phat.png"))

    # Approve.
    with page.expect_navigation():
        page.get_by_role("button", name="Duyệt phát").click()
    body = page.locator("main").inner_text()
    assert "Đã duyệt bản tin" in body and "Đã duyệt" in body
    assert page.get_by_role("button", name="Duyệt phát").count() == 0
    page.screenshot(path=str(tmp_path / "3-da-duyet.png"), full_page=True)
    approved = query(
        demo,
        "SELECT s.approved_at IS NOT NULL, s.ward_id, a.username FROM "
        "loa_channels_radiosegment s JOIN auth_user a ON a.id = s.approved_by_id "
        "WHERE s.id = ?",
        segment_id,
    )
    assert approved == [(1, ward_id(demo, "hai-duong"), OFFICER)]
    audited = query(
        demo,
        "SELECT COUNT(*) FROM core_auditlog WHERE action = 'approve' "
        "AND object_type = 'loa_channels.radiosegment' AND object_id = ?",
        str(segment_id),
    )
    assert audited == [(1,)]

    # The desk lists it approved; the airing log opens from there.
    page.goto(base + "/kenh/phat-thanh/")
    row = page.locator(
        "tr", has=page.locator(f"a[href='/kenh/phat-thanh/{segment_id}/']")
    )
    assert "Đã duyệt" in row.first.inner_text()
    page.get_by_role("link", name="Nhật ký phát của hệ thống truyền thanh").click()
    page.wait_for_url(re.compile(r"/kenh/phat-thanh/luot-phat/$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Nhật ký phát thanh"
    page.screenshot(path=str(tmp_path / "4-nhat-ky-phat.png"), full_page=True)

    # The public archive plays it as MP3, with the WAV still there.
    page.goto(base + "/phat-thanh/")
    section = page.locator("section", has=page.locator(f"#tieu-de-{segment_id}"))
    assert section.count() == 1
    assert section.locator("source[type='audio/mpeg']").count() == 1
    assert section.locator("a", has_text=".wav").count() == 1
    page.screenshot(path=str(tmp_path / "5-luu-tru.png"), full_page=True)
