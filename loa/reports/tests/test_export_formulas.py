"""What staff type into a report reaches the exported .xlsx as text, never as a formula."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from loa.reports.models import Commendation
from loa.reports.services import draft_get_or_create

from .conftest import H1

pytestmark = pytest.mark.django_db

HYPERLINK = '=HYPERLINK("http://x","y")'


def test_commendation_typed_as_a_formula_is_exported_as_plain_text(
    client, ward_a, manager_a
):
    draft = draft_get_or_create(ward_a.plan, *H1, by=manager_a)
    client.force_login(manager_a)
    client.post(
        reverse("reports:commendation_add", args=[draft.pk]),
        {
            "kind": Commendation.Kind.PERSON,
            "name": HYPERLINK,
            "reason": "-1+1",
        },
    )
    assert draft.commendations.get().name == HYPERLINK

    response = client.get(reverse("reports:draft_export", args=[draft.pk, "xlsx"]))

    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content))["Biểu dương"]
    [row] = sheet.iter_rows(min_row=2)
    kind, name, unit, reason = row
    assert (name.value, name.data_type) == (HYPERLINK, "s")
    assert (reason.value, reason.data_type) == ("-1+1", "s")
    assert (kind.value, kind.data_type) == ("Cá nhân", "s")
