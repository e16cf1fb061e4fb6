"""Approving a radio segment: who and when on the segment, and a row in the audit log."""

import pytest

from loa.channels.models import RadioSegment
from loa.channels.services.radio import segment_approve
from loa.core import roles
from loa.core.models import AuditLog
from loa.core.tests.factories import WardFactory, staff_user

pytestmark = pytest.mark.django_db


def _segment(ward, week="2026-W10"):
    return RadioSegment.objects.create(
        ward=ward, week=week, title=f"Chuyển đổi số tuần {week}", audio="segment.wav"
    )


def test_approved_segment_records_its_approver_and_an_audit_row():
    ward = WardFactory()
    leader = staff_user(ward=ward, role=roles.LEADER)
    segment = segment_approve(segment=_segment(ward), by=leader)

    segment.refresh_from_db()
    assert segment.approved_by == leader and segment.approved_at is not None
    row = AuditLog.objects.get(action=AuditLog.Action.APPROVE)
    assert (row.actor, row.ward) == (leader, ward)
    assert row.object_type == "loa_channels.radiosegment"
    assert row.object_id == str(segment.pk)


def test_admin_approve_action_approves_and_audits_each_selected_segment(admin_client):
    ward = WardFactory()
    chosen = [_segment(ward, "2026-W10"), _segment(ward, "2026-W11")]
    left = _segment(ward, "2026-W12")

    response = admin_client.post(
        "/django-admin/loa_channels/radiosegment/",
        {"action": "approve", "_selected_action": [s.pk for s in chosen]},
    )

    assert response.status_code == 302
    approved = RadioSegment.objects.filter(approved_at__isnull=False)
    assert set(approved) == set(chosen)
    assert not RadioSegment.objects.get(pk=left.pk).approved_at
    rows = AuditLog.objects.filter(action=AuditLog.Action.APPROVE)
    assert sorted(int(r.object_id) for r in rows) == sorted(s.pk for s in chosen)
