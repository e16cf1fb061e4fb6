"""A resident on a phone: register, learn a lesson, pass the quiz, get a certificate, verify it."""

import os
import re

import pytest

from loa.core.testing.browser import CHROMIUM

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_resident_registers_learns_passes_and_verifies_the_certificate(
    live_server, browser_page
):  # noqa: F811
    from django.utils import timezone

    from loa.core.models import ResidentialGroup
    from loa.core.tests.factories import WardFactory
    from loa.learning.models import Certificate, Choice, Course, Lesson, Question

    assert os.path.exists(CHROMIUM)
    ward = WardFactory(name="Hải Dương", slug="hai-duong")
    ResidentialGroup.objects.create(ward=ward, name="Tổ dân phố số 5", order=5)
    course = Course.objects.create(
        slug="vneid", title="Định danh điện tử VNeID", questions_per_quiz=3
    )
    Lesson.objects.create(
        course=course,
        slug="vneid-muc-2",
        title="Tài khoản mức 2",
        order=1,
        body="## Ở đâu\nĐến công an phường nơi cư trú.",
    )
    for n in range(3):
        q = Question.objects.create(
            course=course, text=f"Câu hỏi {n}: mức 2 đăng ký ở đâu?"
        )
        Choice.objects.create(question=q, text="Công an phường", is_correct=True)
        Choice.objects.create(question=q, text="Ngân hàng", is_correct=False)

    page = browser_page
    page.goto(f"{live_server.url}/hoc/")
    page.get_by_role("link", name="Đăng ký học").click()
    page.get_by_label("Họ và tên", exact=True).fill("Nguyễn Thị Lan")
    page.get_by_label("Năm sinh", exact=True).fill("1958")
    page.get_by_label("Tổ dân phố", exact=True).select_option(label="Tổ dân phố số 5")
    page.get_by_label(re.compile("Tôi đồng ý")).check()
    page.get_by_role("button", name="Đăng ký").click()
    assert page.get_by_text("Chào mừng Nguyễn Thị Lan").is_visible()

    page.get_by_role("link", name=re.compile("Định danh điện tử VNeID")).click()
    page.get_by_role("link", name="Tài khoản mức 2").click()
    page.get_by_role("button", name="Tôi đã học xong bài này").click()
    page.get_by_role("button", name=re.compile("Làm bài kiểm tra")).click()
    for label in page.get_by_text("Công an phường").all():
        label.click()
    page.get_by_role("button", name="Nộp bài").click()
    assert page.get_by_text("Kết quả: 100% — Đạt").is_visible()

    certificate = Certificate.objects.get()
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải giấy chứng nhận").click()
    assert download.value.suggested_filename.endswith(".pdf")
    page.goto(f"{live_server.url}/xac-minh/{certificate.code.lower()}/")
    assert page.get_by_text("Nguyễn Thị Lan").first.is_visible()
    assert (
        page.get_by_text("1958").count() == 0
    )  # nothing personal beyond name and course
    page.goto(f"{live_server.url}/xac-minh/KHONGCOMA9999/")
    assert page.get_by_text("Không tìm thấy giấy chứng nhận").first.is_visible()
    assert timezone.now()
