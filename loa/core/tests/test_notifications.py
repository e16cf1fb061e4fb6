import re

import pytest
from django.urls import reverse

from loa.core import roles
from loa.core.services import notification_send
from loa.core.tests.factories import (
    UnitFactory,
    WardFactory,
    shared_memo,
    staff_user,
)

pytestmark = pytest.mark.django_db


def test_unit_staff_see_their_units_notifications_only(client):
    ward = WardFactory()
    mine, other = UnitFactory(ward=ward), UnitFactory(ward=ward)
    notification_send(ward=ward, unit=mine, title="Đôn đốc đơn vị tôi")
    notification_send(ward=ward, unit=other, title="Đôn đốc đơn vị khác")
    notification_send(ward=WardFactory(), unit=None, title="Thông báo phường khác")
    client.force_login(staff_user(ward=ward, unit=mine))
    page = client.get(reverse("core:notification_list")).content.decode()
    assert "Đôn đốc đơn vị tôi" in page
    assert "Đôn đốc đơn vị khác" not in page and "phường khác" not in page


def test_marking_a_notification_read_with_htmx_returns_the_updated_row(client):
    ward = WardFactory()
    unit = UnitFactory(ward=ward)
    note = notification_send(ward=ward, unit=unit, title="Đôn đốc")
    client.force_login(staff_user(ward=ward, unit=unit))
    response = client.post(
        reverse("core:notification_read", args=[note.pk]), HTTP_HX_REQUEST="true"
    )
    note.refresh_from_db()
    assert note.read_at is not None
    assert "Đã đọc" in response.content.decode()


def test_same_reminder_key_is_sent_once():
    ward = WardFactory()
    assert (
        notification_send(ward=ward, unit=None, title="A", dedupe_key="k1") is not None
    )
    assert notification_send(ward=ward, unit=None, title="A", dedupe_key="k1") is None


def test_audit_log_page_is_for_plan_managers_only(client):
    ward = WardFactory()
    client.force_login(staff_user(ward=ward, role=roles.UNIT_STAFF))
    assert client.get(reverse("core:audit_list")).status_code == 403
    client.force_login(staff_user(ward=ward, role=roles.LEADER))
    assert client.get(reverse("core:audit_list")).status_code == 200


def test_the_menu_badge_follows_new_and_read_notifications_at_once(client, settings):
    shared_memo(settings)
    ward = WardFactory()
    mine, other = UnitFactory(ward=ward), UnitFactory(ward=ward)
    client.force_login(staff_user(ward=ward, unit=mine))
    plans = reverse("plans:plan_list")

    def badge() -> str:
        page = client.get(plans).content.decode()
        found = re.search(r'aria-label="(\d+) chưa đọc"', page)
        return found.group(1) if found else "0"

    assert badge() == "0"  # counted and kept in the cache
    first = notification_send(ward=ward, unit=mine, title="Đôn đốc 1")
    notification_send(ward=ward, unit=None, title="Thông báo chung")
    notification_send(ward=ward, unit=other, title="Của đơn vị khác")
    assert badge() == "2"
    client.post(reverse("core:notification_read", args=[first.pk]))
    assert badge() == "1"
