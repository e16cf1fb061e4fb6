"""A figure has one definition: the learning pages, the dashboard, the indicators and the
periodic report count learners, certificates and support visits the same way, and the
dashboard's workbook and the report lay out the "Theo hình thức" table the same way."""

import io
from datetime import date, datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from loa.core.models import ResidentialGroup
from loa.learning.models import Certificate, Course, Learner, SupportVisit, Team
from loa.learning.selectors import learning_figures
from loa.reports.document import report_document
from loa.reports.figures import dashboard_figures
from loa.reports.metrics import indicator_value
from loa.reports.models import Indicator
from loa.reports.services import draft_get_or_create

from .conftest import H1

pytestmark = pytest.mark.django_db
EVER = (date(2000, 1, 1), date(2099, 12, 31))


def _at(day: date) -> datetime:
    return datetime.combine(
        day, datetime.min.time().replace(hour=9), tzinfo=timezone.get_current_timezone()
    )


def _learner(group, name: str, day: date) -> Learner:
    return Learner.objects.create(
        ward=group.ward,
        name=name,
        birth_year=1960,
        residential_group=group,
        consent_at=_at(day),
        created_at=_at(day),
    )


@pytest.fixture
def learning_a(ward_a, ward_b):
    """In ward A over H1: 2 learners registered (one more in 2025), 1 certificate issued
    (one revoked, one in 2025), 2 support visits helping 2 + 3 people (one in July).
    Ward B has a learner, a certificate and a visit of its own in H1."""
    course = Course.objects.create(slug="vneid-so-lieu", title="VNeID")
    group = ResidentialGroup.objects.create(ward=ward_a.ward, name="Tổ dân phố số 1")
    other = ResidentialGroup.objects.create(ward=ward_b.ward, name="Tổ dân phố số 1")
    march = _learner(group, "Nguyễn Thị Lan", date(2026, 3, 2))
    may = _learner(group, "Trần Văn Ba", date(2026, 5, 20))
    old = _learner(group, "Lê Văn Cường", date(2025, 12, 15))
    stranger = _learner(other, "Người phường khác", date(2026, 3, 2))
    Certificate.objects.create(
        learner=march, course=course, issued_at=_at(date(2026, 4, 1))
    )
    Certificate.objects.create(
        learner=may, course=course, issued_at=_at(date(2026, 6, 1)), is_revoked=True
    )
    Certificate.objects.create(
        learner=old, course=course, issued_at=_at(date(2025, 12, 20))
    )
    Certificate.objects.create(
        learner=stranger, course=course, issued_at=_at(date(2026, 4, 1))
    )
    team = Team.objects.create(ward=ward_a.ward, residential_group=group, name="Tổ 1")
    team_b = Team.objects.create(ward=ward_b.ward, residential_group=other, name="Tổ 1")
    for t, day, people in (
        (team, date(2026, 2, 3), 2),
        (team, date(2026, 6, 30), 3),
        (team, date(2026, 7, 1), 4),
        (team_b, date(2026, 2, 3), 9),
    ):
        SupportVisit.objects.create(
            team=t,
            household_code="HO-1",
            date=day,
            helps=["vneid_muc_2"],
            people=people,
        )
    return ward_a


def test_learning_figures_are_the_same_on_the_learning_page_and_the_dashboard(
    learning_a,
):
    page = learning_figures(ward=learning_a.ward)
    dashboard = dashboard_figures([learning_a.ward], *EVER)["learning"]

    assert dashboard == {
        "learners": 3,
        "certificates": 2,
        "visits": 3,
        "people_helped": 9,
    }
    assert {key: page[key] for key in dashboard} == dashboard


def test_a_periods_learning_figures_agree_on_dashboard_indicator_and_report(
    learning_a, manager_a
):
    dashboard = dashboard_figures([learning_a.ward], *H1)
    learning = dashboard["learning"]
    indicators = {
        measure: indicator_value(
            Indicator.objects.create(
                plan=learning_a.plan, name=measure, measure=measure, target=1
            ),
            *H1,
        )
        for measure in (
            Indicator.Measure.LEARNERS,
            Indicator.Measure.CERTIFICATES,
            Indicator.Measure.SUPPORT_VISITS,
        )
    }
    draft = draft_get_or_create(learning_a.plan, *H1, by=manager_a)
    text = "\n".join(b.text for b in report_document(draft).blocks)

    assert learning == {
        "learners": 2,
        "certificates": 1,
        "visits": 2,
        "people_helped": 5,
    }
    assert indicators == {
        Indicator.Measure.LEARNERS: 2,
        Indicator.Measure.CERTIFICATES: 1,
        Indicator.Measure.SUPPORT_VISITS: 2,
    }
    assert sum(r["learners"] for r in dashboard["by_residential_group"]) == 2
    assert sum(r["people"] for r in dashboard["by_residential_group"]) == 5
    assert "2 học viên đăng ký học, 1 giấy chứng nhận" in text
    assert "2 lượt hỗ trợ tại nhà cho 5 người" in text


def test_form_table_is_the_same_in_the_dashboard_workbook_and_the_report(
    client, ward_a, manager_a
):
    client.force_login(manager_a)
    response = client.get(
        reverse("reports:dashboard_xlsx"),
        {"start": H1[0].isoformat(), "end": H1[1].isoformat()},
    )
    sheet = load_workbook(io.BytesIO(response.content))["Theo hình thức"]
    draft = draft_get_or_create(ward_a.plan, *H1, by=manager_a)
    table = next(
        b for b in report_document(draft).tables if b.sheet == "Theo hình thức"
    )

    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows == [table.header] + table.rows
    assert table.header[0] == "Hình thức" and len(table.rows) == 7
