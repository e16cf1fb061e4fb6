"""One phone rule and one birth-year rule, whichever way a learner or a member comes in:
the registration form, the team member form, the .xlsx imports and the services."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from loa.core.privacy import normalize_phone
from loa.learning import imports, services, teams
from loa.learning.forms import MemberForm, RegisterForm
from loa.learning.models import Learner, TeamMember

PHONES = [
    "0912345678",
    "0912 345 678",
    "+84 912 345 678",
    "84912345678",
    "0220 3850 000",
    "(024) 3825 1234",
    "912345678",
    "12345",
    "091234567",
    "091234567890",
    "+1 202 555 0143",
]
THIS_YEAR = timezone.localdate().year
BIRTH_YEARS = [1899, 1900, 1958, THIS_YEAR - 5, THIS_YEAR - 4, THIS_YEAR]


def xlsx(rows: list[list]) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _accepted(phone: str) -> bool:
    try:
        normalize_phone(phone)
    except ValidationError:
        return False
    return True


def _register_form(ward, group, **changes) -> RegisterForm:
    data = {
        "name": "Trần Văn Ba",
        "birth_year": "1950",
        "residential_group": group.pk,
        "target_group": "nguoi_dan",
        "consent": "on",
    } | changes
    return RegisterForm(data, ward=ward)


def _learner_import(ward, group, *, birth_year=1950, phone=None):
    header = ["Họ và tên", "Năm sinh", "Tổ dân phố", "Đối tượng", "Số điện thoại"]
    row = ["Trần Văn Ba", birth_year, group.name, None, phone]
    return imports.learners_import(ward=ward, data=xlsx([header, row]))


@pytest.mark.parametrize("phone", PHONES)
def test_registration_form_and_learner_import_accept_the_same_phones(
    ward, group, phone
):
    form = _register_form(ward, group, phone=phone)
    report = _learner_import(ward, group, phone=phone)

    assert form.is_valid() == (report.imported == 1) == _accepted(phone)
    if report.imported:
        assert Learner.objects.get().phone == normalize_phone(phone)
    else:
        assert "Số điện thoại" in form.errors["phone"][0]
        assert "Số điện thoại" in report.errors[0].reason


@pytest.mark.parametrize("phone", PHONES)
def test_member_form_and_member_import_accept_the_same_phones(ward, group, phone):
    team = teams.team_create(ward=ward, residential_group=group)
    form = MemberForm({"name": "Phạm Thị Dung", "role": "to_pho", "phone": phone})
    header = ["Tổ dân phố", "Họ và tên", "Vai trò", "Số điện thoại"]
    report = imports.team_members_import(
        ward=ward, data=xlsx([header, [group.name, "Phạm Thị Dung", None, phone]])
    )

    assert form.is_valid() == (report.imported == 1) == _accepted(phone)
    if report.imported:
        assert team.members.get().phone == normalize_phone(phone)


def test_registered_phone_is_kept_in_the_same_form_as_an_imported_one(
    client, ward, group
):
    client.post(
        reverse("learning:register"),
        {
            "name": "Trần Văn Ba",
            "birth_year": "1950",
            "residential_group": group.pk,
            "target_group": "nguoi_dan",
            "phone": "+84 912 345 678",
            "consent": "on",
        },
    )

    assert Learner.objects.get().phone == "0912345678"


def test_services_refuse_a_bad_phone_through_the_models_validator(ward, group):
    with pytest.raises(ValidationError) as exc:
        services.learner_register(
            ward=ward,
            name="Trần Văn Ba",
            birth_year=1950,
            residential_group=group,
            target_group="nguoi_dan",
            phone="12345",
            consent=True,
        )
    assert "phone" in exc.value.message_dict
    team = teams.team_create(ward=ward, residential_group=group)
    with pytest.raises(ValidationError):
        teams.team_member_add(team=team, name="Phạm Thị Dung", phone="12345")
    assert not Learner.objects.exists() and not TeamMember.objects.exists()


@pytest.mark.parametrize("year", BIRTH_YEARS)
def test_registration_form_and_learner_import_accept_the_same_birth_years(
    ward, group, year
):
    form = _register_form(ward, group, birth_year=str(year))
    report = _learner_import(ward, group, birth_year=year)
    expected = 1900 <= year <= THIS_YEAR - 5

    assert form.is_valid() == (report.imported == 1) == expected
    if not expected:
        assert "Năm sinh" in form.errors["birth_year"][0]
        assert "Năm sinh" in report.errors[0].reason


def test_a_learner_saved_with_full_clean_follows_the_same_birth_year_rule(ward, group):
    learner = Learner(
        ward=ward,
        name="Trần Văn Ba",
        birth_year=THIS_YEAR,
        residential_group=group,
        consent_at=timezone.now(),
    )
    with pytest.raises(ValidationError) as exc:
        learner.full_clean()
    assert exc.value.error_dict["birth_year"][0].code == "year_out_of_range"
