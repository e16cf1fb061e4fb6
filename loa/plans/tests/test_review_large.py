"""Reviewing plans of any size: a page of tasks at a time, confirmed by a bounded request."""

from datetime import date
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from loa.core import roles
from loa.core.models import Unit
from loa.core.tests.factories import UnitFactory, WardFactory, staff_user
from loa.plans import services
from loa.plans.models import Plan, Task
from loa.plans.tests.factories import PlanFactory
from loa.plans.views import REVIEW_PAGE_SIZE

pytestmark = pytest.mark.django_db

UNITS = [
    "Phòng Văn hóa - Xã hội",
    "Công an phường",
    "Trung tâm Dịch vụ sự nghiệp công",
    "Đoàn Thanh niên phường",
    "Hội Liên hiệp Phụ nữ phường",
]


@pytest.fixture
def ward():
    return WardFactory(name="Hải Dương")


@pytest.fixture
def manager(ward):
    return staff_user(
        ward=ward,
        unit=UnitFactory(ward=ward, name="Phòng Văn hóa - Xã hội"),
        role=roles.CULTURE_STAFF,
    )


def _review_plan(ward, count: int, *, number: str = "15/KH-UBND") -> Plan:
    """A plan awaiting review whose parse holds `count` tasks, five units in turn (as a
    document lists them: task n of the document is task n of the review)."""
    units = {name: [] for name in UNITS}
    lines = [f"KẾ HOẠCH số {number}"]
    for n in range(1, count + 1):
        name = UNITS[(n - 1) * len(UNITS) // count]
        text = f"Tuyên truyền chuyển đổi số đợt {n} tại các tổ dân phố"
        units[name].append(
            {"text": text, "role": "chu_tri", "recurrence": None, "due": None}
        )
        lines.append(f"{n}. {name}: {text}; báo cáo kết quả về Ủy ban nhân dân phường.")
    text = "\n".join(lines)
    return PlanFactory(
        ward=ward,
        status=Plan.Status.REVIEW,
        confirmed_at=None,
        number=number,
        original_text=text,
        restored_text=text,
        parsed={
            "number": number,
            "units": [{"name": n, "tasks": t} for n, t in units.items() if t],
            "warnings": [],
        },
    )


class _FormFields(HTMLParser):
    """What a browser sends for the review form (the page's form without an action)."""

    def __init__(self):
        super().__init__()
        self.fields: list[tuple[str, str]] = []
        self._in_form = False
        self._select: list | None = None  # [name, first value, selected value]
        self._textarea: list | None = None  # [name, text]

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._in_form = "action" not in attrs
        if not self._in_form or "name" not in attrs and tag != "option":
            return
        if tag == "input":
            kind = attrs.get("type", "text")
            if kind == "checkbox":
                if "checked" in attrs:
                    self.fields.append((attrs["name"], attrs.get("value", "on")))
            elif kind not in ("submit", "button"):
                self.fields.append((attrs["name"], attrs.get("value", "")))
        elif tag == "select":
            self._select = [attrs["name"], None, None]
        elif tag == "option" and self._select is not None:
            value = attrs.get("value", "")
            if self._select[1] is None:
                self._select[1] = value
            if "selected" in attrs:
                self._select[2] = value
        elif tag == "textarea":
            self._textarea = [attrs["name"], ""]

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_form = False
        elif tag == "select" and self._select is not None:
            name, first, selected = self._select
            self.fields.append((name, selected if selected is not None else first))
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            name, text = self._textarea
            self.fields.append((name, text.removeprefix("\n")))
            self._textarea = None


def _browser_post(response, **button) -> dict:
    """The review form as the browser submits it, with the button pressed."""
    parser = _FormFields()
    parser.feed(response.content.decode())
    data = dict(parser.fields)
    assert len(data) == len(parser.fields), "a field name appears twice"
    data.update(button)
    return data


def _field_count(data: dict) -> int:
    return len(data) + 1  # and the CSRF token a browser sends


def _url(plan, page: int | None = None) -> str:
    url = reverse("plans:plan_review", args=[plan.pk])
    return f"{url}?trang={page}" if page else url


def test_plan_of_1000_tasks_is_reviewed_page_by_page_and_confirmed(
    client, manager, ward, settings, django_assert_max_num_queries
):
    plan = _review_plan(ward, 1000)
    client.force_login(manager)
    pages = -(-1000 // REVIEW_PAGE_SIZE)
    largest = 0
    for number in range(1, pages):
        data = _browser_post(client.get(_url(plan, number)), den_trang=number + 1)
        largest = max(largest, _field_count(data))
        response = client.post(_url(plan, number), data)
        assert response.status_code == 302, (
            response.context and response.context["errors"]
        )
        assert response.url.startswith(_url(plan, number + 1))
    data = _browser_post(client.get(_url(plan, pages)), action="confirm")
    largest = max(largest, _field_count(data))
    with django_assert_max_num_queries(120):
        response = client.post(_url(plan, pages), data)

    assert response.status_code == 302 and response.url == reverse(
        "plans:plan_detail", args=[plan.pk]
    )
    assert largest < settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
    plan.refresh_from_db()
    assert plan.status == Plan.Status.ACTIVE
    assert plan.tasks.count() == 1000
    assert list(plan.tasks.order_by("order").values_list("order", flat=True)) == list(
        range(1, 1001)
    )


def test_1000_tasks_can_be_confirmed_from_the_first_page_without_visiting_the_rest(
    client, manager, ward, settings
):
    plan = _review_plan(ward, 1000)
    client.force_login(manager)
    data = _browser_post(client.get(_url(plan)), action="confirm")
    assert _field_count(data) < settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
    assert client.post(_url(plan), data).status_code == 302
    assert Task.objects.filter(plan=plan).count() == 1000


def test_review_page_of_a_10000_task_plan_stays_small(client, manager, ward):
    plan = _review_plan(ward, 10_000)
    assert len(plan.original_text) > 1_000_000  # the document alone would be too much
    client.force_login(manager)
    for page in (1, 100, 200):
        response = client.get(_url(plan, page))
        assert response.status_code == 200
        assert len(response.content) < 1_000_000


def test_source_beside_a_page_is_the_stretch_holding_its_tasks(client, manager, ward):
    plan = _review_plan(ward, 10_000)
    client.force_login(manager)
    page = client.get(_url(plan, 100)).content.decode()
    source = page[page.index('aria-label="Văn bản gốc"') :]
    assert "đợt 4951 tại" in source and "đợt 20 tại" not in source
    assert "Tải tệp gốc" in page or not plan.source_file


def test_edits_on_page_two_are_kept_and_appear_in_the_created_tasks(
    client, manager, ward
):
    plan = _review_plan(ward, 120)
    client.force_login(manager)
    data = _browser_post(client.get(_url(plan, 2)), action="save")
    # Page 2 holds tasks 51-100: its forms are numbered from 0 again.
    data["tasks-0-text"] = "Tổ chức hội nghị tuyên truyền Nghị quyết 57 cho đảng viên"
    data["tasks-0-due_date"] = "2026-06-30"
    data["tasks-1-DELETE"] = "on"
    data["tasks-2-unit_name"] = "Công an phường"
    response = client.post(_url(plan, 2), data)
    assert response.status_code == 302

    again = client.get(_url(plan, 2)).content.decode()
    assert "Tổ chức hội nghị tuyên truyền Nghị quyết 57 cho đảng viên" in again
    assert "Nhiệm vụ 52 (đã bỏ)" in again
    confirm = _browser_post(client.get(_url(plan, 1)), action="confirm")
    assert client.post(_url(plan, 1), confirm).status_code == 302

    tasks = list(
        Task.objects.filter(plan=plan).select_related("unit").order_by("order")
    )
    assert len(tasks) == 119
    edited = tasks[50]
    assert edited.text == "Tổ chức hội nghị tuyên truyền Nghị quyết 57 cho đảng viên"
    assert edited.due_date == date(2026, 6, 30)
    assert not any("đợt 52 tại" in t.text for t in tasks)
    moved = next(t for t in tasks if "đợt 53 tại" in t.text)
    assert moved.unit.name == "Công an phường"


def test_a_task_left_out_can_be_brought_back(client, manager, ward):
    plan = _review_plan(ward, 3)
    client.force_login(manager)
    data = _browser_post(client.get(_url(plan)), action="save")
    data["tasks-1-DELETE"] = "on"
    client.post(_url(plan), data)
    data = _browser_post(client.get(_url(plan)), action="save")
    assert data["tasks-1-DELETE"] == "on"
    del data["tasks-1-DELETE"]
    client.post(_url(plan), data)
    plan.refresh_from_db()
    assert not any(row["deleted"] for row in services.plan_review_tasks(plan=plan))


def test_unit_mapping_sends_every_page_of_a_unit_to_the_chosen_ward_unit(
    client, manager, ward
):
    police = UnitFactory(ward=ward, name="Công an phường Hải Dương")
    plan = _review_plan(ward, 150)
    client.force_login(manager)
    data = _browser_post(client.get(_url(plan)), den_trang="3")
    index = next(
        k.split("-")[1]
        for k, v in data.items()
        if v == "Công an phường" and k.endswith("parsed_name")
    )
    data[f"units-{index}-target"] = str(police.pk)
    assert client.post(_url(plan), data).status_code == 302
    confirm = _browser_post(client.get(_url(plan, 3)), action="confirm")
    assert client.post(_url(plan, 3), confirm).status_code == 302
    assert Task.objects.filter(plan=plan, unit=police).count() == 30
    assert not Unit.objects.filter(ward=ward, name="Công an phường").exists()


def test_small_plan_confirms_on_first_click_with_the_blank_row_left_empty(
    client, manager, ward
):
    plan = _review_plan(ward, 7)
    client.force_login(manager)
    review = client.get(_url(plan))
    assert "Thêm nhiệm vụ (không bắt buộc" in review.content.decode()
    data = _browser_post(review, action="confirm")
    # The blank row is posted as a browser does: its unit select sends its first unit.
    assert data["tasks-7-unit_name"] == UNITS[0] and data["tasks-7-text"] == ""
    response = client.post(_url(plan), data)
    assert response.status_code == 302, response.context and response.context["errors"]
    assert Task.objects.filter(plan=plan).count() == 7


def test_small_plan_confirm_applies_the_edits_on_screen(client, manager, ward):
    plan = _review_plan(ward, 7)
    client.force_login(manager)
    data = _browser_post(client.get(_url(plan)), action="confirm")
    data["tasks-0-text"] = "Phát chuyên mục chuyển đổi số trên loa truyền thanh"
    data["tasks-3-DELETE"] = "on"
    data["tasks-7-text"] = "Treo băng-rôn tại nhà văn hóa các tổ dân phố"
    data["tasks-7-unit_name"] = "Công an phường"
    assert client.post(_url(plan), data).status_code == 302
    tasks = list(Task.objects.filter(plan=plan).order_by("order"))
    assert [t.text for t in tasks][0] == (
        "Phát chuyên mục chuyển đổi số trên loa truyền thanh"
    )
    assert len(tasks) == 7  # one left out, one added at the end
    assert tasks[-1].text == "Treo băng-rôn tại nhà văn hóa các tổ dân phố"
    assert tasks[-1].unit.name == "Công an phường"


def test_form_errors_are_summed_up_at_the_top_of_the_page(client, manager, ward):
    plan = _review_plan(ward, 7)
    client.force_login(manager)
    data = _browser_post(client.get(_url(plan)), action="confirm")
    data["tasks-2-text"] = ""
    response = client.post(_url(plan), data)
    assert response.status_code == 400
    page = response.content.decode()
    summary = page.index("Chưa lưu được")
    assert summary < page.index('id="nhiem-vu-1"')
    assert 'href="#nhiem-vu-3"' in page[summary : page.index('id="nhiem-vu-1"')]
    plan.refresh_from_db()
    assert plan.status == Plan.Status.REVIEW
    assert "review" not in plan.parsed  # nothing was saved


def test_a_refused_confirmation_keeps_the_pages_edits(client, manager, ward):
    PlanFactory(ward=ward, number="15/KH-UBND")
    plan = _review_plan(ward, 7, number="15/KH-UBND")
    client.force_login(manager)
    data = _browser_post(client.get(_url(plan)), action="confirm")
    data["tasks-0-text"] = "Nội dung đã sửa trước khi xác nhận"
    response = client.post(_url(plan), data, follow=True)
    assert "Phường đã có kế hoạch số 15/KH-UBND" in response.content.decode()
    assert "Nội dung đã sửa trước khi xác nhận" in response.content.decode()
    plan.refresh_from_db()
    assert plan.status == Plan.Status.REVIEW


def test_confirming_1000_tasks_takes_a_bounded_number_of_queries(
    ward, django_assert_max_num_queries
):
    plan = _review_plan(ward, 1000)
    with django_assert_max_num_queries(60):
        services.plan_review_confirm(plan=plan)
    assert plan.tasks.count() == 1000
    assert Unit.objects.filter(ward=ward).count() == len(UNITS)
