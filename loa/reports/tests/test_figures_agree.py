"""Issue 15: the dashboard and the report read the same figures, each with how it is
counted beside it, and name the same tasks to urge."""

import io
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from loa.plans.models import Activity
from loa.plans.tests.factories import ActivityFactory, TaskFactory
from loa.reports.document import report_document
from loa.reports.figures import dashboard_figures
from loa.reports.services import draft_get_or_create, report_export

from .conftest import H1

pytestmark = pytest.mark.django_db
PERIOD = {"start": H1[0].isoformat(), "end": H1[1].isoformat()}


def _sheet(content: bytes, name: str) -> list[tuple]:
    book = load_workbook(io.BytesIO(content))
    return list(book[name].iter_rows(min_row=2, values_only=True))


def _report_text(draft) -> str:
    return "\n".join(b.text for b in report_document(draft).blocks)


def test_each_headline_figure_reads_the_same_on_the_dashboard_and_in_the_report(
    client, money_a, manager_a
):
    client.force_login(manager_a)
    page = client.get(reverse("reports:dashboard"), PERIOD).content.decode()
    dashboard_book = client.get(reverse("reports:dashboard_xlsx"), PERIOD).content
    draft = draft_get_or_create(money_a.plan, *H1, by=manager_a)
    report_book = report_export(draft, "xlsx").content

    headlines = dashboard_figures([money_a.ward], *H1)["headlines"]
    for figure in headlines.values():
        # On the card: the number, the words, and the definition under it.
        assert f"<strong>{figure.value}</strong> {figure.label}" in page, figure.key
        assert figure.definition.startswith("tính từ: ")
        assert figure.definition.replace("“", "&ldquo;") in page or (
            figure.definition in page
        ), figure.key
    # The two workbooks write the same figures with the same definitions.
    assert _sheet(dashboard_book, "Số liệu chính") == _sheet(
        report_book, "Số liệu chính"
    )
    # The report's sentences state the cards' numbers.
    text = _report_text(draft)
    assert f"Thực hiện {headlines['radio'].value} lượt phát thanh" in text
    assert f"Đăng {headlines['articles'].value} tin, bài" in text


def test_radio_card_is_the_radio_form_row_not_a_second_count(ward_a):
    f = dashboard_figures([ward_a.ward], *H1)
    forms = {row["form"]: row for row in f["by_form"]}
    assert f["headlines"]["radio"].value == forms["phat_thanh"]["count"] == 1
    assert "lưu trữ phát thanh" in f["headlines"]["radio"].definition


def test_learners_and_support_visits_sit_under_their_form_in_the_report(
    ward_a, manager_a
):
    """ "Bình dân học vụ số: 0 hoạt động" beside 2 learners read as a contradiction:
    the report now writes the learners under the form, with the classes."""
    from loa.core.models import ResidentialGroup
    from loa.learning.models import Learner

    group = ResidentialGroup.objects.create(ward=ward_a.ward, name="Tổ dân phố số 2")
    Learner.objects.create(
        ward=ward_a.ward,
        name="Nguyễn Văn An",
        birth_year=1970,
        residential_group=group,
        consent_at=_noon(3, 3),
        created_at=_noon(3, 3),
    )
    draft = draft_get_or_create(ward_a.plan, *H1, by=manager_a)
    text = _report_text(draft)
    assert (
        "Phong trào “Bình dân học vụ số”: Chưa ghi nhận lớp, buổi hướng dẫn "
        "trực tiếp; 1 học viên đăng ký học, 0 giấy chứng nhận" in text
    )
    f = dashboard_figures([ward_a.ward], *H1)
    assert "đếm riêng ở “Học viên mới”" in f["headlines"]["classes"].definition


def _noon(month: int, day: int):
    from datetime import datetime

    from django.utils import timezone

    return datetime(2026, month, day, 12, tzinfo=timezone.get_current_timezone())


def test_report_names_the_silent_task_the_urging_job_flags(ward_a, manager_a):
    """The service centre's monthly task had nothing after 15/05: silent at 30/06."""
    draft = draft_get_or_create(ward_a.plan, *H1, by=manager_a)
    text = _report_text(draft)
    assert "Không có nhiệm vụ quá hạn" not in text
    assert (
        "- Trung tâm Dịch vụ sự nghiệp công: Đăng tin bài hằng tháng (đang thực hiện, "
        "không có hoạt động trong 30 ngày, lần gần nhất 15/05/2026)." in text
    )
    assert "Có 2 nhiệm vụ cần đôn đốc" in text
    f = dashboard_figures([ward_a.ward], *H1)
    assert f["headlines"]["urging"].value == 2
    assert {r.task.text for r in f["urging"]} == {
        "Đăng tin bài hằng tháng",
        "Treo pa-nô trước 31/05/2026",
    }


def test_a_task_whose_first_activity_came_after_the_period_was_not_started_in_it(
    ward_a, manager_a
):
    task = TaskFactory(plan=ward_a.plan, unit=ward_a.culture, text="Mở lớp kỹ năng số")
    ActivityFactory(
        task=task, kind=Activity.Kind.CLASS, date=date(2026, 7, 20), title="Lớp 1"
    )
    draft = draft_get_or_create(ward_a.plan, *H1, by=manager_a)
    text = _report_text(draft)
    assert (
        "- Phòng Văn hóa - Xã hội: Mở lớp kỹ năng số (chưa thực hiện, chưa có "
        "hoạt động nào)." in text
    )


def test_dashboard_lists_the_tasks_to_urge_with_the_definition(client, manager_a):
    client.force_login(manager_a)
    page = client.get(reverse("reports:dashboard"), PERIOD).content.decode()
    assert "Nhiệm vụ cần đôn đốc (2)" in page
    assert "Đăng tin bài hằng tháng" in page
