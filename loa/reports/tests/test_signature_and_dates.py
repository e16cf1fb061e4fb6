"""Issue 15: the signature block is not doubled when the officer follows the field's
hint, and dates are written as Nghị định 30/2020/NĐ-CP writes them."""

from datetime import date

import pytest

from loa.reports.document import period_name, report_document
from loa.reports.forms import DraftForm
from loa.reports.services import draft_get_or_create, draft_update

from .conftest import H1

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(ward_a, manager_a):
    return draft_get_or_create(ward_a.plan, *H1, by=manager_a)


@pytest.mark.parametrize(
    ("authority", "position", "expected"),
    [
        ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"]),
        ("tm. ủy ban nhân dân ", "Chủ tịch", ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"]),
        (
            "KT. CHỦ TỊCH",
            "PHÓ CHỦ TỊCH",
            ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"],
        ),
        ("", "CHỦ TỊCH", ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"]),
    ],
)
def test_signature_block_never_prints_tm_uy_ban_twice(
    draft, manager_a, authority, position, expected
):
    draft_update(
        draft, by=manager_a, signing_authority=authority, signer_position=position
    )
    assert report_document(draft).signature_lines == expected


def test_the_authority_fields_hint_no_longer_suggests_typing_tm():
    hint = DraftForm().fields["signing_authority"].help_text
    assert "TM., KT., TL." not in hint
    assert "KT. CHỦ TỊCH" in hint and "Loa tự in" in hint


@pytest.mark.parametrize(
    ("issued", "written"),
    [
        (date(2026, 3, 4), "ngày 04 tháng 3 năm 2026"),
        (date(2026, 12, 15), "ngày 15 tháng 12 năm 2026"),
        (date(2026, 2, 7), "ngày 07 tháng 02 năm 2026"),
        (date(2026, 6, 30), "ngày 30 tháng 6 năm 2026"),
    ],
)
def test_report_date_line_follows_decree_30(draft, manager_a, issued, written):
    draft_update(draft, by=manager_a, issued_date=issued)
    assert report_document(draft).place_date == f"Hải Dương, {written}"


def test_a_months_report_names_the_month_as_decree_30_writes_it():
    assert period_name(date(2026, 6, 1), date(2026, 6, 30)) == "tháng 6 năm 2026"
    assert period_name(date(2026, 1, 1), date(2026, 1, 31)) == "tháng 01 năm 2026"
