"""Which ward `loa plan list` and `loa learning stats` work for, and how they say so."""

import io
import json
from datetime import date

import pytest
from django.core.management import CommandError, call_command

from loa.core.models import Ward
from loa.core.selectors import ward_for_command
from loa.core.tests.factories import WardFactory
from loa.plans.tests.factories import PlanFactory

pytestmark = pytest.mark.django_db


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def hai_duong():
    return WardFactory(name="Hải Dương", slug="hai-duong")


@pytest.fixture
def two_wards(hai_duong):
    return hai_duong, WardFactory(name="Lê Thanh Nghị", slug="le-thanh-nghi")


# -- ward_for_command -------------------------------------------------------------------


def test_the_only_active_ward_is_chosen_when_none_is_named(hai_duong):
    WardFactory(slug="cu", is_active=False)
    assert ward_for_command(None) == hai_duong


def test_a_merged_wards_slug_points_to_the_ward_it_became(hai_duong):
    old = WardFactory(name="Cũ", slug="phuong-cu", is_active=False)
    Ward.objects.filter(pk=old.pk).update(merged_into=hai_duong)
    with pytest.raises(CommandError) as error:
        ward_for_command("phuong-cu")
    assert str(error.value).startswith(
        'Phường/xã mã "phuong-cu" đã sáp nhập vào phường Hải Dương (mã "hai-duong").'
    )


def test_no_ward_at_all_is_an_error_unless_the_command_can_work_without_one():
    with pytest.raises(CommandError, match="Chưa có phường/xã nào"):
        ward_for_command(None)
    assert ward_for_command(None, none_if_no_ward=True) is None


def test_a_ward_error_exits_with_status_2_like_the_commands_other_errors(two_wards):
    with pytest.raises(CommandError) as error:
        ward_for_command(None)
    assert error.value.returncode == 2


# -- plan list --------------------------------------------------------------------------


def test_plan_list_on_a_one_ward_install_lists_its_plans_and_names_the_ward(
    hai_duong,
):
    PlanFactory(ward=hai_duong, number="77/KH-UBND", issued_date=date(2026, 3, 4))
    out, err = run("plan", "list", "--json")
    assert [p["number"] for p in json.loads(out)] == ["77/KH-UBND"]
    assert err.splitlines()[0] == "Phường/xã: phường Hải Dương (hai-duong)"


def test_plan_list_with_two_wards_and_no_ward_option_lists_the_slugs(two_wards):
    with pytest.raises(CommandError) as error:
        run("plan", "list", "--json")
    assert str(error.value) == (
        "Có 2 phường/xã; hãy chọn một bằng --ward: hai-duong (phường Hải Dương), "
        "le-thanh-nghi (phường Lê Thanh Nghị)."
    )


def test_plan_list_with_two_wards_lists_only_the_chosen_wards_plans(two_wards):
    hai_duong, le_thanh_nghi = two_wards
    PlanFactory(ward=hai_duong, number="77/KH-UBND")
    PlanFactory(ward=le_thanh_nghi, number="12/KH-UBND")
    out, err = run("plan", "list", "--ward", "le-thanh-nghi")
    assert out.startswith("12/KH-UBND") and "77/KH-UBND" not in out
    assert err.splitlines()[0] == "Phường/xã: phường Lê Thanh Nghị (le-thanh-nghi)"


def test_plan_list_with_an_unknown_ward_slug_fails_listing_the_valid_ones(
    two_wards,
):
    with pytest.raises(CommandError) as error:
        run("plan", "list", "--ward", "khong-co")
    assert str(error.value) == (
        'Không có phường/xã mã "khong-co". Các mã hiện có: '
        "hai-duong (phường Hải Dương), le-thanh-nghi (phường Lê Thanh Nghị)."
    )


# -- learning stats ---------------------------------------------------------------------


def test_learning_stats_on_a_one_ward_install_reports_that_ward(hai_duong):
    out, err = run("learning", "stats", "--json")
    figures = json.loads(out)
    assert figures["ward"] == "phường Hải Dương"
    assert figures["ward_slug"] == "hai-duong"
    assert err == ""


def test_learning_stats_without_json_names_the_ward_on_the_first_stderr_line(
    hai_duong,
):
    out, err = run("learning", "stats")
    assert err.splitlines()[0] == "Phường/xã: phường Hải Dương (hai-duong)"
    assert out.startswith("phường Hải Dương: 0 học viên")


def test_learning_stats_with_two_wards_and_no_ward_option_lists_the_slugs(
    two_wards,
):
    with pytest.raises(CommandError, match="hãy chọn một bằng --ward: hai-duong"):
        run("learning", "stats", "--json")


def test_learning_stats_with_an_unknown_ward_slug_fails(hai_duong):
    with pytest.raises(CommandError, match='Không có phường/xã mã "khong-co"'):
        run("learning", "stats", "--ward", "khong-co")
