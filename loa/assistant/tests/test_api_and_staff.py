"""The JSON API, the staff queue and the handoff to volunteers."""

import uuid

import pytest
from django.urls import reverse

from loa.assistant.models import FAQ, Exchange, Ticket, VolunteerRequest
from loa.core import roles
from loa.core.models import ResidentialGroup
from loa.core.tests.factories import WardFactory, staff_user

pytestmark = pytest.mark.django_db


def test_ask_endpoint_answers_in_json(client, small_kb):
    response = client.post(
        "/api/assistant/ask",
        {"question": "cong dich vu cong quoc gia la gi"},
        content_type="application/json",
    )
    data = response.json()
    assert response.status_code == 200
    assert (
        data["answered"] is True
        and data["citations"][0]["source"] == "Văn phòng Chính phủ"
    )
    assert data["conversation_id"] and data["latency_ms"] >= 0


def test_ask_endpoint_is_in_the_openapi_schema(client):
    schema = client.get("/api/openapi.json").json()
    assert "/api/assistant/ask" in schema["paths"]


def test_empty_question_gets_a_vietnamese_error(client, small_kb):
    response = client.post(
        "/api/assistant/ask", {"question": "   "}, content_type="application/json"
    )
    assert (
        response.status_code == 400
        and "Vui lòng nhập câu hỏi" in response.json()["detail"]
    )


def test_too_many_questions_from_one_client_are_throttled(client, small_kb, settings):
    settings.LOA_ASSISTANT_RATE_PER_MINUTE = 3
    codes = [
        client.post(
            "/api/assistant/ask",
            {"question": "DVC là gì"},
            content_type="application/json",
        ).status_code
        for _ in range(5)
    ]
    assert codes[:3] == [200, 200, 200] and codes[3:] == [429, 429]
    assert Exchange.objects.count() == 3


def test_dislike_puts_the_answer_in_the_staff_queue(client, small_kb):
    data = client.post(
        "/api/assistant/ask", {"question": "DVC là gì"}, content_type="application/json"
    ).json()
    stranger = client.post(
        "/api/assistant/feedback",
        {
            "exchange_id": data["exchange_id"],
            "conversation_id": str(uuid.uuid4()),
            "value": -1,
        },
        content_type="application/json",
    )
    assert stranger.status_code == 404 and not Ticket.objects.exists()
    client.post(
        "/api/assistant/feedback",
        {
            "exchange_id": data["exchange_id"],
            "conversation_id": data["conversation_id"],
            "value": -1,
        },
        content_type="application/json",
    )
    assert Ticket.objects.get().reason == Ticket.Reason.DISLIKED


def test_staff_answer_becomes_a_live_faq(
    client, small_kb, django_capture_on_commit_callbacks
):
    ward = WardFactory()
    asked = client.post(
        "/api/assistant/ask",
        {
            "question": "Kích hoạt VNeID mức 2 ở công an phường có mất phí không?",
            "ward": ward.slug,
        },
        content_type="application/json",
    ).json()
    assert asked["answered"] is False
    ticket = Ticket.objects.get(ward=ward)
    client.force_login(staff_user(ward=ward, role=roles.CULTURE_STAFF))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("assistant:ticket_answer", args=[ticket.pk]),
            {
                "answer": "Kích hoạt tài khoản VNeID mức 2 không mất phí.",
                "make_faq": "on",
                "question": "Kích hoạt VNeID mức 2 có mất phí không?",
                "source": "UBND phường",
            },
        )
    assert response.status_code == 302
    again = client.post(
        "/api/assistant/ask",
        {"question": "kich hoat vneid muc 2 co mat phi khong", "ward": ward.slug},
        content_type="application/json",
    ).json()
    assert again["answered"] is True and "không mất phí" in again["answer"]
    assert (
        FAQ.objects.get(ward=ward).question == "Kích hoạt VNeID mức 2 có mất phí không?"
    )


def test_a_wards_own_faq_is_not_used_for_another_ward(
    client, small_kb, django_capture_on_commit_callbacks
):
    from loa.assistant.services import faq_save

    ward_a, ward_b = WardFactory(), WardFactory()
    with django_capture_on_commit_callbacks(execute=True):
        faq_save(
            faq=FAQ(
                ward=ward_a,
                external_id="a1",
                question="Lịch tiếp dân của phường A là khi nào?",
                answer="Sáng thứ Năm hằng tuần.",
                source="UBND phường A",
            )
        )
    answer_b = client.post(
        "/api/assistant/ask",
        {"question": "lich tiep dan cua phuong a la khi nao", "ward": ward_b.slug},
        content_type="application/json",
    ).json()
    assert "thứ Năm" not in answer_b["answer"]


def test_resident_asks_for_a_volunteer_and_the_team_sees_it(client):
    ward = WardFactory()
    group = ResidentialGroup.objects.create(ward=ward, name="Tổ dân phố số 3")
    groups = client.get("/api/assistant/residential-groups", {"ward": ward.slug}).json()
    assert groups == [{"id": group.pk, "name": "Tổ dân phố số 3"}]
    response = client.post(
        "/api/assistant/handoff",
        {
            "residential_group_id": group.pk,
            "question": "Tôi cần người hướng dẫn cài VNeID",
            "contact_phone": "0912345678",
            "consent": True,
        },
        content_type="application/json",
    )
    assert (
        response.status_code == 200 and "Tổ dân phố số 3" in response.json()["message"]
    )
    client.force_login(staff_user(ward=ward, role=roles.DIGITAL_TEAM))
    page = client.get(reverse("assistant:volunteer_requests")).content.decode()
    assert "Tôi cần người hướng dẫn cài VNeID" in page
    client.force_login(staff_user(ward=WardFactory(), role=roles.DIGITAL_TEAM))
    assert (
        "cài VNeID"
        not in client.get(reverse("assistant:volunteer_requests")).content.decode()
    )


def test_phone_without_consent_is_refused(client):
    group = ResidentialGroup.objects.create(ward=WardFactory(), name="Tổ 1")
    response = client.post(
        "/api/assistant/handoff",
        {
            "residential_group_id": group.pk,
            "question": "Cần giúp",
            "contact_phone": "0912345678",
        },
        content_type="application/json",
    )
    assert response.status_code == 400 and VolunteerRequest.objects.count() == 0


def test_chat_page_works_without_javascript(client, small_kb):
    response = client.post(
        reverse("assistant:chat"), {"question": "DVC quốc gia là gì"}
    )
    assert "nộp hồ sơ" in response.content.decode()


def test_unit_staff_cannot_open_the_knowledge_pages(client):
    client.force_login(staff_user(ward=WardFactory(), role=roles.UNIT_STAFF))
    assert client.get(reverse("assistant:faq_list")).status_code == 403


def test_citation_links_to_a_readable_guide_section(client, small_kb):
    data = client.post(
        "/api/assistant/ask",
        {"question": "công an có yêu cầu chuyển tiền qua điện thoại không"},
        content_type="application/json",
    ).json()
    url = data["citations"][0]["url"]
    assert url.startswith("/huong-dan/") and url.endswith("#gia-danh-cong-an")
    page = client.get(url.split("#")[0]).content.decode()
    assert (
        'id="gia-danh-cong-an"' in page and "không bao giờ yêu cầu chuyển tiền" in page
    )


def test_guide_page_strips_script_from_staff_text(
    client, db, django_capture_on_commit_callbacks
):
    from loa.assistant.models import KnowledgeDocument
    from loa.assistant.services import document_save

    with django_capture_on_commit_callbacks(execute=True):
        doc = document_save(
            doc=KnowledgeDocument(
                external_id="x",
                title="Thử",
                text="## Mục\n<script>alert(1)</script> Nội dung",
            )
        )
    page = client.get(f"/huong-dan/{doc.pk}/").content.decode()
    assert "<script>alert(1)</script>" not in page and "Nội dung" in page


def test_staff_edit_and_delete_their_wards_faq(
    client, db, django_capture_on_commit_callbacks
):
    ward = WardFactory()
    client.force_login(staff_user(ward=ward, role=roles.EDITOR))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("assistant:faq_create"),
            {
                "question": "Giờ làm việc của bộ phận một cửa?",
                "variants": "gio lam viec mot cua",
                "answer": "Sáng thứ Hai đến sáng thứ Bảy.",
                "source": "UBND phường",
                "is_active": "on",
            },
        )
    faq = FAQ.objects.get(ward=ward)
    page = client.get(reverse("assistant:faq_edit", args=[faq.pk])).content.decode()
    assert reverse("assistant:faq_remove", args=[faq.pk]) in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("assistant:faq_remove", args=[faq.pk]))
    assert not FAQ.objects.filter(pk=faq.pk).exists()
    other = FAQ.objects.create(
        ward=WardFactory(), external_id="x", question="Q", answer="A", source="S"
    )
    assert client.get(reverse("assistant:faq_edit", args=[other.pk])).status_code == 404


def test_old_transcripts_lose_their_words_but_keep_their_counts(db, settings):
    from datetime import timedelta

    from django.utils import timezone

    from loa.assistant.models import Conversation
    from loa.assistant.services import transcripts_purge

    settings.LOA_CHAT_RETENTION_DAYS = 30
    now = timezone.now()
    old = Conversation.objects.create(
        external_user="zalo-123", created_at=now - timedelta(days=40)
    )
    Exchange.objects.create(
        conversation=old,
        question="Số tôi 0912345678",
        answer="Đáp",
        created_at=now - timedelta(days=40),
    )
    fresh = Conversation.objects.create(external_user="zalo-456")
    Exchange.objects.create(conversation=fresh, question="Hôm nay", answer="Đáp")
    assert transcripts_purge() == 1
    assert Exchange.objects.count() == 2
    assert Exchange.objects.get(conversation=old).question == ""
    assert Exchange.objects.get(conversation=fresh).question == "Hôm nay"
    old.refresh_from_db()
    fresh.refresh_from_db()
    assert (old.external_user, fresh.external_user) == ("", "zalo-456")
    settings.LOA_CHAT_RETENTION_DAYS = 0
    assert transcripts_purge() == 0
