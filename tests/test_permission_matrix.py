"""Permission matrix (issue 7): every URL and API endpoint × every role × own ward / other
ward, asserting who may read and who may write.

- The URL conf is enumerated (``get_resolver()``, recursively); every URL name must have a
  row in ``TABLE`` or ``test_every_url_name_is_in_the_table`` fails with the missing names.
  Only the third-party admin trees are left out (``cms/``, ``django-admin/``,
  ``documents/``, Wagtail's ``_util/`` and its catch-all ``wagtail_serve``); they get their
  own checks at the end.
- Roles: an anonymous visitor, a resident learner (anonymous, with ward A's learner
  cookie), each of ``roles.ALL_ROLES`` as staff of ward A, a superuser of ward A, and
  city staff (``Membership(ward=None, city=…)``).
- Every request is made for an object of ward A (own) and of ward B (other), both wards in
  "Thành phố Hải Phòng". An object of ward B never answers 200 to a ward-A account on a
  staff URL, and a page listing ward records never shows one of ward B (every ward-B record
  carries ``MARK_B``).
- Writes are posted with an empty body (or the smallest body that names the object);
  every refused, failed or re-shown request must leave the data as it was (``probe``),
  and no POST about ward A may change anything of ward B (``_ward_fingerprint``).
- Form fields that name a record (a unit, a tổ dân phố, a learner, a plan, a team…) are
  posted once with ward A's record (the write is done) and once with ward B's (refused,
  nothing changes): see ``references``.

The world is built once per module, inside one transaction rolled back at the end; the
PDF renderers are stubbed (access is under test here, not the layout).
"""

# ruff: noqa: S608 - the fingerprint query interpolates table names and an int ward id

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from loa.assistant.models import (
    FAQ,
    Conversation,
    Exchange,
    KnowledgeDocument,
    Ticket,
    VolunteerRequest,
)
from loa.channels.models import (
    ChannelChoice,
    Delivery,
    LedScreen,
    RadioSegment,
    Slogan,
)
from loa.content.models import ArticlePage
from loa.core import roles
from loa.core.models import (
    AuditLog,
    Membership,
    Notification,
    ResidentialGroup,
    Unit,
    Ward,
)
from loa.core.services import audit_record
from loa.core.tests.factories import UnitFactory, UserFactory, WardFactory, staff_user
from loa.learning import services as learning_services
from loa.learning.models import (
    Certificate,
    ClassRegistration,
    ClassSession,
    Course,
    Learner,
    Lesson,
    LessonProgress,
    QuizAttempt,
    SupportVisit,
    Team,
    TeamMember,
    TeamTarget,
)
from loa.library.models import LibraryCopy, LibraryItem
from loa.plans.models import Activity, Plan, Task
from loa.plans.tests.factories import ActivityFactory, PlanFactory, TaskFactory
from loa.reports.models import (
    BudgetAllocation,
    Commendation,
    Expense,
    Indicator,
    ReportDraft,
    UnitNarrative,
)
from loa.reports.services import draft_get_or_create

CITY_NAME = "Thành phố Hải Phòng"
MARK_A = "[[wA-mark]]"
MARK_B = "[[wB-mark]]"
SCREEN_A = "cong-uy-ban-a"  # an LED screen code registered in ward A only
LOGIN_PATH = "/dang-nhap/"
EXCLUDED_PREFIXES = ("cms/", "django-admin/", "documents/", "_util/")
EXCLUDED_NAMES = {"wagtail_serve"}

# --------------------------------------------------------------------------- roles

ANON = "anonymous"
LEARNER = "learner"  # a resident: anonymous, with ward A's learner cookie
LEADER = "leader"
CULTURE = "culture"
UNIT = "unit"
EDITOR = "editor"
APPROVER = "approver"
DIGITAL = "digital"
CITY_ROLE_IN_WARD = "city_role_in_ward"  # the city-staff group, but a ward-A membership
SUPER = "superuser"
CITY = "city"  # city staff: Membership(ward=None, city=CITY_NAME)

ROLE_GROUPS = {
    LEADER: roles.LEADER,
    CULTURE: roles.CULTURE_STAFF,
    UNIT: roles.UNIT_STAFF,
    EDITOR: roles.EDITOR,
    APPROVER: roles.APPROVER,
    DIGITAL: roles.DIGITAL_TEAM,
    CITY_ROLE_IN_WARD: roles.CITY_STAFF,
}
assert set(ROLE_GROUPS.values()) == set(roles.ALL_ROLES), "a role is missing here"

WARD = [*ROLE_GROUPS, SUPER]  # signed-in staff of ward A
ALL = [ANON, LEARNER, *WARD, CITY]

MANAGERS = {LEADER, CULTURE, SUPER}  # access.is_plan_manager
READERS = MANAGERS | {UNIT}  # reports.selectors.reader_scope (a unit, or a manager)
ACTORS = READERS  # can_act_for_unit on the unit staff's own unit
KNOWLEDGE = MANAGERS | {EDITOR, APPROVER}  # assistant.selectors.can_manage_knowledge
VOLUNTEERS = KNOWLEDGE | {DIGITAL}  # assistant.selectors.can_see_volunteer_requests
RECORDERS = MANAGERS | {DIGITAL}  # teams.teams_recordable_by (DIGITAL is a member)
PLAN_COPIERS = MANAGERS  # library: a plan template is copied by plan managers
ALL_WARD = set(WARD)
# access.can_manage_ward_posts: a ward's articles' outgoing posts (channels, LED, "đã đăng")
POSTERS = MANAGERS | {EDITOR, APPROVER}
# channels.services.radio.can_manage_radio: plan managers and the radio unit's staff (the
# unit staff's unit is the ward's "Trung tâm Dịch vụ", in charge of radio without a task).
RADIO = MANAGERS | {UNIT}

# --------------------------------------------------------------------------- outcomes
# "ok"      200
# "go"      302 to a page other than the login page
# "reach"   the write was reached: 200/400 (form errors: nothing may change) or a 302
#           elsewhere than the login page (the change may have happened)
# "refuse"  like "reach", but the view refused the change with a message: nothing changes
# "done"    302 elsewhere than the login page, and the probe shows the change
# "login"   302 to /dang-nhap/
# "deny"    403 or 404
# "nf"      404 (the object of another ward must not even be found)
# int/set   exactly these status codes
REACHED = {"ok", "go", "reach", "refuse"}


def access(allowed, ok="ok", *, city="deny", anon="login", learner=None, **overrides):
    """Outcomes for the own-ward object: `ok` for the roles in `allowed`, else "deny"."""
    own = {r: (ok if r in allowed else "deny") for r in WARD}
    own[ANON] = anon
    own[LEARNER] = learner if learner is not None else anon
    own[CITY] = city
    own.update(overrides)
    return own


def everyone(outcome, **overrides):
    own = dict.fromkeys(ALL, outcome)
    own.update(overrides)
    return own


def derive_other(own: dict) -> dict:
    """Ward B's object: ward-A staff who reach ward A's get 404; the others are refused as
    for ward A; visitors and city staff (ward B is in their city) as for ward A."""
    other = {}
    for role, outcome in own.items():
        if role in WARD:
            other[role] = "nf" if outcome in REACHED else outcome
        else:
            other[role] = outcome
    return other


# --------------------------------------------------------------------------- rows


@dataclass
class Row:
    # (side, ctx) -> path; it may create a fresh object for the request in ctx.
    url: Callable[[Any, dict], str]
    own: dict
    other: dict | None = None  # None: derive_other(own)
    method: str = "get"
    data: Callable[[Any, dict], dict] | None = None
    as_json: bool = False
    probe: Callable[[Any, dict], Any] | None = None  # compared before/after the request
    public: bool = False  # public pages may show any ward's public records
    per_ward: bool = True  # False: one URL for both wards (lists, public pages)
    roles: tuple = tuple(ALL)  # who makes the request (the reference rows: one role)
    # Asked at the side's ward's own address (its Wagtail site's host name), as a
    # resident or a screen opens that ward's public surface; else at the client's (A's).
    at_ward_address: bool = False
    # Texts of a ward (side -> texts): a 200 answer shows the side's, never the other's.
    ward_text: Callable[[Any], tuple[str, ...]] | None = None

    def outcomes(self, side: str) -> dict:
        if side == "a":
            return self.own
        return self.other if self.other is not None else derive_other(self.own)


def get(url, own, **kw):
    return Row(url=url, own=own, method="get", **kw)


def post(url, own, **kw):
    return Row(url=url, own=own, method="post", **kw)


def fixed(path_name, *args, query=""):
    """A URL that does not depend on the ward."""
    return lambda s, ctx: reverse(path_name, args=args) + query


def count(model, **filters):
    return lambda s, ctx: model.objects.filter(
        **{k: (v(s, ctx) if callable(v) else v) for k, v in filters.items()}
    ).count()


def field_of(model, attr, key):
    """The value of `attr` of the object `ctx[key]` (or side attribute `key`)."""

    def probe(s, ctx):
        obj = ctx.get(key) or getattr(s, key)
        rows = list(model.objects.filter(pk=obj.pk).values_list(attr, flat=True))
        return rows[0] if rows else "(deleted)"

    return probe


def exists(model, key):
    return lambda s, ctx: model.objects.filter(pk=ctx[key].pk).exists()


def fresh(key, make):
    """A URL on an object created for this request only (the write may delete it)."""

    def wrap(url):
        def build(s, ctx):
            ctx[key] = make(s)
            return url(s, ctx)

        return build

    return wrap


# Fresh objects for the destructive writes -------------------------------------------


def _fresh_task(s):
    return TaskFactory(plan=s.plan, unit=s.service, text=f"Nhiệm vụ mới {s.mark}")


def _fresh_activity(s):
    return ActivityFactory(task=s.task, title=f"Hoạt động mới {s.mark}")


def _fresh_review_plan(s):
    return PlanFactory(
        ward=s.ward, status=Plan.Status.REVIEW, confirmed_at=None, title=s.mark
    )


def _fresh_notification(s):
    return Notification.objects.create(ward=s.ward, title=f"Thông báo mới {s.mark}")


def _fresh_faq(s):
    return FAQ.objects.create(
        ward=s.ward,
        external_id=f"faq-fresh-{uuid.uuid4()}",
        question=f"Hỏi mới {s.mark}",
        answer="Đáp.",
        source="Phường",
    )


def _fresh_document(s):
    return KnowledgeDocument.objects.create(
        ward=s.ward,
        external_id=f"doc-fresh-{uuid.uuid4()}",
        title=f"Tài liệu mới {s.mark}",
        text="Nội dung.",
    )


def _fresh_member(s):
    return TeamMember.objects.create(team=s.team, name=f"Người mới {uuid.uuid4()}")


def _fresh_commendation(s):
    return Commendation.objects.create(
        draft=s.draft, kind=Commendation.Kind.PERSON, name=s.mark, reason="Tích cực."
    )


_report_days = iter(range(1, 100_000))


def _fresh_draft(s):
    """A draft ready to send (number, date, signer), for one request only."""
    start = date(2000, 1, 1) + timedelta(days=next(_report_days))
    return ReportDraft.objects.create(
        ward=s.ward,
        plan=s.plan,
        period_from=start,
        period_to=start,
        number=f"1/BC-UBND {s.mark}",
        issued_date=start,
        signer="Người ký",
        signer_position="CHỦ TỊCH",
    )


def _fresh_sent_report(s):
    """A report its ward has sent to the city ("Gửi báo cáo")."""
    report = _fresh_draft(s)
    report.submitted_at = timezone.now()
    report.save(update_fields=["submitted_at"])
    return report


def _fresh_volunteer_request(s):
    return VolunteerRequest.objects.create(
        ward=s.ward, residential_group=s.group, question=f"Cần giúp {s.mark}"
    )


def _fresh_radio_segment(s):
    return RadioSegment.objects.create(
        ward=s.ward, week="2026-W11", title=f"Bản tin chờ duyệt {s.mark}", audio="x.wav"
    )


def _radio_mp3(s, ctx):
    mp3 = Path(django_settings.MEDIA_ROOT) / Path(s.segment.audio).with_suffix(".mp3")
    mp3.write_bytes(b"ID3\x03\x00")
    return reverse("loa_channels:radio_audio_mp3", args=[s.segment.pk])


def _fresh_slogan(s):
    return Slogan.objects.create(ward=s.ward, text=f"Khẩu hiệu {s.mark}")


def _fresh_led_screen(s):
    return LedScreen.objects.create(
        ward=s.ward,
        name=f"Màn hình {s.mark}",
        slug=f"man-hinh-{uuid.uuid4().hex[:8]}",
        location=f"Cổng UBND {s.mark}",
    )


def _rev(name, attr=None, *, key=None, query=""):
    """reverse(name, args=[side.<attr>.pk or ctx[key].pk])."""

    def build(s, ctx):
        obj = ctx[key] if key else getattr(s, attr)
        return reverse(name, args=[obj.pk]) + query

    return build


# Shorthands of the outcome tables ---------------------------------------------------

STAFF_ANY = access(ALL_WARD)  # every ward-A account, whatever the role
STAFF_ANY_CITY_EMPTY = access(ALL_WARD, city="ok")  # city staff get an empty page
PUBLIC_OK = everyone("ok")


def public(url, outcome="ok", **kw):
    return get(url, everyone(outcome), public=True, per_ward=False, **kw)


def staff_list(url, own=STAFF_ANY, **kw):
    return get(url, own, per_ward=False, **kw)


def ward_address(s) -> str:
    """The host name of the side's ward: ward A's is the default site's (the client's),
    ward B's is ``thu-quyen-b.localhost``."""
    return s.ward.site.hostname


# Form fields that name a record ---------------------------------------------------
# A write whose body names a record of ward B (a unit, a tổ dân phố, a learner, a plan…)
# on ward A's page must be refused like a missing record. Each pair is posted by one role
# allowed to write: with ward A's record it is done (the probe changes), with ward B's it
# is refused and nothing changes anywhere.


def references(
    url, body, probe, *, role=CULTURE, fresh_ref=None, at_ward_address=False
):
    """Two rows: `body(ref_side, ctx)` names ward A's records, then ward B's.

    With `at_ward_address` (a public form whose ward is the address's), each row is
    posted at ward A's address and at ward B's: the record of the ward of the address is
    taken, the other ward's refused."""

    def rows():
        for foreign in (False, True):
            outcome = "refuse" if foreign else "done"

            def data(s, ctx, foreign=foreign):
                ref = s.other if foreign else s
                if fresh_ref:
                    ctx["ref"] = fresh_ref(ref)
                return body(ref, ctx)

            yield Row(
                url=url,
                own={**everyone("deny"), role: outcome},
                method="post",
                data=data,
                probe=probe,
                per_ward=at_ward_address,
                at_ward_address=at_ward_address,
                roles=(role,),
            )

    return list(rows())


def _fresh_group(s):
    return ResidentialGroup.objects.create(
        ward=s.ward, name=f"Tổ dân phố mới {uuid.uuid4().hex[:8]}"
    )


def _today(days=0):
    return (timezone.localdate() + timedelta(days=days)).isoformat()


def _media_file(relative: str) -> str:
    """Write a file under MEDIA_ROOT (each test has its own) and return its /media/ URL."""
    target = Path(django_settings.MEDIA_ROOT) / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(b"\x89PNG\r\n\x1a\n")
    return django_settings.MEDIA_URL + relative


def _media_image(s, ctx):
    _media_file("images/ma-tran.fill-10x10.png")
    return reverse("media_image", kwargs={"path": "images/ma-tran.fill-10x10.png"})


# --------------------------------------------------------------------------- the table
# Every URL name of the URL conf → its rows. A missing name fails the test below.

TABLE: dict[str, list[Row]] = {
    # ---- core, login, health
    "healthz": [public(fixed("healthz"))],
    # readyz answers 503 when the task queue is not running: still public, never a login.
    "readyz": [public(fixed("readyz"), {200, 503})],
    "home": [
        get(
            fixed("home"),
            everyone("go", **{ANON: "ok", LEARNER: "ok"}),
            public=True,
            per_ward=False,
        )
    ],
    "staff_home": [
        get(
            fixed("staff_home"),
            everyone("go", **{ANON: "ok", LEARNER: "ok"}),
            public=True,
            per_ward=False,
        )
    ],
    # The portal's Wagtail images are public (loa.core.media); a plan file or activity
    # evidence beside them under /media/ is found by no one, signed in or not.
    "media_image": [
        public(_media_image),
        public(lambda s, ctx: _media_file(f"plans/{s.ward.pk}/ke-hoach.pdf"), "nf"),
        public(lambda s, ctx: _media_file(f"evidence/{s.ward.pk}/anh.png"), "nf"),
    ],
    "login": [public(fixed("login"))],
    # Django 5: logging out is a POST; it always lands on the login page.
    "logout": [post(fixed("logout"), everyone("login"), public=True, per_ward=False)],
    "two_factor_verify": [
        # No TOTP device: straight on to the plans.
        staff_list(fixed("two_factor_verify"), access(ALL_WARD, "go", city="go")),
    ],
    "two_factor_setup": [
        staff_list(fixed("two_factor_setup"), access(ALL_WARD, city="ok")),
        post(
            fixed("two_factor_setup"),
            access(ALL_WARD, "reach", city="reach"),
            per_ward=False,
        ),
    ],
    "core:notification_list": [
        staff_list(fixed("core:notification_list"), STAFF_ANY_CITY_EMPTY)
    ],
    "core:notification_read": [
        post(
            fresh("note", _fresh_notification)(
                _rev("core:notification_read", key="note")
            ),
            access(ALL_WARD, "reach", city="nf"),
            probe=field_of(Notification, "read_at", "note"),
        )
    ],
    "core:audit_list": [staff_list(fixed("core:audit_list"), access(MANAGERS))],
    # The ward's portal settings: its leader and the administrator, for their own ward.
    "core:ward_portal": [
        staff_list(fixed("core:ward_portal"), access({LEADER, SUPER})),
        post(
            fixed("core:ward_portal"),
            access({LEADER, SUPER}, ok="reach"),
            per_ward=False,
            probe=lambda s, ctx: list(
                Ward.objects.values_list("pk", "public_address", "phone")
            ),
        ),
    ],
    # ---- plans
    "plans:plan_list": [staff_list(fixed("plans:plan_list"))],
    "plans:plan_upload": [
        staff_list(fixed("plans:plan_upload"), access(MANAGERS)),
        post(
            fixed("plans:plan_upload"),
            access(MANAGERS, "reach"),
            per_ward=False,
            probe=count(Plan),
        ),
    ],
    "plans:plan_detail": [get(_rev("plans:plan_detail", "plan"), STAFF_ANY)],
    "plans:plan_review": [
        get(_rev("plans:plan_review", "review_plan"), access(MANAGERS)),
        post(
            _rev("plans:plan_review", "review_plan"),
            access(MANAGERS, "reach"),
            probe=field_of(Plan, "status", "review_plan"),
        ),
    ],
    "plans:plan_discard": [
        post(
            fresh("plan", _fresh_review_plan)(_rev("plans:plan_discard", key="plan")),
            access(MANAGERS, "reach"),
            probe=exists(Plan, "plan"),
        )
    ],
    "plans:plan_source": [get(_rev("plans:plan_source", "plan"), STAFF_ANY)],
    "plans:task_list": [staff_list(fixed("plans:task_list"))],
    "plans:task_detail": [get(_rev("plans:task_detail", "task"), STAFF_ANY)],
    "plans:task_complete": [
        post(
            fresh("task", _fresh_task)(_rev("plans:task_complete", key="task")),
            access(ACTORS, "reach"),
            probe=field_of(Task, "completed_at", "task"),
        )
    ],
    "plans:task_urge": [
        post(
            _rev("plans:task_urge", "task"),
            access(MANAGERS, "reach"),
            probe=count(Notification),
        )
    ],
    "plans:unit_urge": [
        post(
            lambda s, ctx: reverse("plans:unit_urge", args=[s.plan.pk, s.service.pk]),
            access(MANAGERS, "reach"),
            probe=count(Notification),
        )
    ],
    "plans:activity_create": [
        get(_rev("plans:activity_create", "task"), access(ACTORS)),
        post(
            _rev("plans:activity_create", "task"),
            access(ACTORS, "reach"),
            probe=count(Activity),
        ),
        *references(
            _rev("plans:activity_create", "task"),
            lambda r, ctx: {
                "kind": "tin_bai",
                "date": _today(),
                "title": "Tin mới",
                "unit": r.service.pk,
            },
            count(Activity),
        ),
    ],
    "plans:activity_delete": [
        post(
            fresh("activity", _fresh_activity)(
                _rev("plans:activity_delete", key="activity")
            ),
            access(ACTORS, "reach"),
            probe=exists(Activity, "activity"),
        )
    ],
    "plans:activity_evidence": [
        get(_rev("plans:activity_evidence", "activity"), STAFF_ANY)
    ],
    # ---- assistant: public pages
    "assistant:ticket_lookup": [
        public(fixed("assistant:ticket_lookup")),
        post(
            fixed("assistant:ticket_lookup"),
            everyone("ok"),
            public=True,
            per_ward=False,
            probe=count(Ticket),
        ),
    ],
    "assistant:chat": [
        public(fixed("assistant:chat")),
        post(
            fixed("assistant:chat"),
            everyone("ok"),
            public=True,
            per_ward=False,
            probe=count(Exchange),
        ),
    ],
    "assistant:guide_list": [public(fixed("assistant:guide_list"))],
    # The assistant's documents are public reading, whatever the ward.
    "assistant:guide_detail": [
        get(
            _rev("assistant:guide_detail", "doc"),
            PUBLIC_OK,
            other=PUBLIC_OK,
            public=True,
        )
    ],
    # ---- assistant: staff pages
    "assistant:ticket_list": [
        staff_list(fixed("assistant:ticket_list"), access(KNOWLEDGE))
    ],
    "assistant:ticket_answer": [
        get(_rev("assistant:ticket_answer", "ticket"), access(KNOWLEDGE)),
        post(
            _rev("assistant:ticket_answer", "ticket"),
            access(KNOWLEDGE, "reach"),
            probe=field_of(Ticket, "status", "ticket"),
        ),
    ],
    "assistant:faq_list": [staff_list(fixed("assistant:faq_list"), access(KNOWLEDGE))],
    "assistant:faq_create": [
        staff_list(fixed("assistant:faq_create"), access(KNOWLEDGE)),
        post(
            fixed("assistant:faq_create"),
            access(KNOWLEDGE, "reach"),
            per_ward=False,
            probe=count(FAQ),
        ),
    ],
    "assistant:faq_edit": [
        get(_rev("assistant:faq_edit", "faq"), access(KNOWLEDGE)),
        post(
            _rev("assistant:faq_edit", "faq"),
            access(KNOWLEDGE, "reach"),
            probe=field_of(FAQ, "question", "faq"),
        ),
    ],
    "assistant:faq_remove": [
        post(
            fresh("faq", _fresh_faq)(_rev("assistant:faq_remove", key="faq")),
            access(KNOWLEDGE, "reach"),
            probe=exists(FAQ, "faq"),
        )
    ],
    "assistant:document_list": [
        staff_list(fixed("assistant:document_list"), access(KNOWLEDGE))
    ],
    "assistant:document_create": [
        staff_list(fixed("assistant:document_create"), access(KNOWLEDGE)),
        post(
            fixed("assistant:document_create"),
            access(KNOWLEDGE, "reach"),
            per_ward=False,
            probe=count(KnowledgeDocument),
        ),
    ],
    "assistant:document_edit": [
        get(_rev("assistant:document_edit", "doc"), access(KNOWLEDGE)),
        post(
            _rev("assistant:document_edit", "doc"),
            access(KNOWLEDGE, "reach"),
            probe=field_of(KnowledgeDocument, "title", "doc"),
        ),
    ],
    "assistant:document_remove": [
        post(
            fresh("doc", _fresh_document)(_rev("assistant:document_remove", key="doc")),
            access(KNOWLEDGE, "reach"),
            probe=exists(KnowledgeDocument, "doc"),
        )
    ],
    "assistant:usage": [staff_list(fixed("assistant:usage"), access(KNOWLEDGE))],
    "assistant:volunteer_requests": [
        staff_list(fixed("assistant:volunteer_requests"), access(VOLUNTEERS)),
        # Names the request of ward A / ward B and a new status.
        post(
            fresh("vr", _fresh_volunteer_request)(
                lambda s, ctx: reverse("assistant:volunteer_requests")
            ),
            access(VOLUNTEERS, "reach"),
            data=lambda s, ctx: {"id": ctx["vr"].pk, "status": "done"},
            probe=field_of(VolunteerRequest, "status", "vr"),
        ),
    ],
    # Webhooks: configured (see _channel_secrets), refused without a valid signature.
    "assistant:zalo_webhook": [
        post(
            fixed("assistant:zalo_webhook"),
            everyone(403),
            public=True,
            per_ward=False,
            probe=count(Exchange),
        ),
    ],
    "assistant:messenger_webhook": [
        public(
            fixed(
                "assistant:messenger_webhook",
                query="?hub.mode=subscribe&hub.verify_token=sai&hub.challenge=1",
            ),
            403,
        ),
        post(
            fixed("assistant:messenger_webhook"),
            everyone(403),
            public=True,
            per_ward=False,
            probe=count(Exchange),
        ),
    ],
    # ---- learning: residents
    "learning:home": [public(fixed("learning:home"))],
    # A resident signs up with the ward whose address they opened (each ward's own form,
    # listing its own tổ dân phố); ?phuong= no longer picks a ward.
    "learning:register": [
        get(
            fixed("learning:register"),
            PUBLIC_OK,
            other=PUBLIC_OK,
            public=True,
            at_ward_address=True,
            ward_text=lambda s: (s.group.name,),
        ),
        post(
            fixed("learning:register"),
            everyone("reach"),
            other=everyone("reach"),
            public=True,
            at_ward_address=True,
            probe=count(Learner),
        ),
        # At ward A's address a learner of A, with A's tổ dân phố (B's refused); at ward
        # B's address a learner of B, with B's (A's refused).
        *references(
            fixed("learning:register"),
            lambda r, ctx: {
                "name": "Người học mới",
                "birth_year": 1970,
                "residential_group": r.group.pk,
                "target_group": "nguoi_dan",
                "consent": "on",
            },
            count(Learner, ward=lambda s, ctx: s.ward),
            role=ANON,
            at_ward_address=True,
        ),
    ],
    # The access key is the learner's credential: whoever holds it continues as them. It
    # is entered in a form; an old link with the key in it is redirected without it.
    "learning:resume": [
        public(fixed("learning:resume")),
        post(
            fixed("learning:resume"),
            everyone("reach"),
            public=True,
            per_ward=False,
        ),
    ],
    "learning:resume_link": [
        get(
            lambda s, ctx: reverse("learning:resume_link", args=[s.learner.access_key]),
            everyone("go"),
            other=everyone("go"),
            public=True,
        )
    ],
    "learning:course": [public(fixed("learning:course", "khoa-thu-quyen"))],
    "learning:quiz_start": [
        post(
            fixed("learning:quiz_start", "khoa-thu-quyen"),
            everyone("go", **{LEARNER: "reach"}),
            public=True,
            per_ward=False,
            probe=count(QuizAttempt),
        ),
    ],
    # A quiz attempt belongs to the learner of the cookie; anyone else: 404.
    "learning:quiz": [
        get(
            _rev("learning:quiz", "attempt"),
            everyone("nf", **{LEARNER: "ok"}),
            other=everyone("nf"),
            public=True,
        )
    ],
    "learning:lesson_by_slug": [
        public(fixed("learning:lesson_by_slug", "bai-thu-quyen")),
        post(
            fixed("learning:lesson_by_slug", "bai-thu-quyen"),
            everyone("go", **{LEARNER: "reach"}),
            public=True,
            per_ward=False,
            probe=count(LessonProgress),
        ),
    ],
    "learning:my_data": [
        get(
            fixed("learning:my_data"),
            everyone("go", **{LEARNER: "ok"}),
            public=True,
            per_ward=False,
        ),
        post(
            fixed("learning:my_data"),
            everyone("go", **{LEARNER: "reach"}),
            public=True,
            per_ward=False,
            probe=count(Learner, national_confirmed_at__isnull=False),
        ),
    ],
    "learning:my_data_export": [
        get(
            fixed("learning:my_data_export"),
            everyone("nf", **{LEARNER: "ok"}),
            public=True,
            per_ward=False,
        )
    ],
    "learning:my_data_delete": [
        # Without the confirmation box nothing is deleted.
        post(
            fixed("learning:my_data_delete"),
            everyone("nf", **{LEARNER: "refuse"}),
            public=True,
            per_ward=False,
            probe=count(Learner),
        ),
    ],
    "learning:check_in": [
        get(
            fixed("learning:check_in"),
            everyone("go", **{LEARNER: "ok"}),
            public=True,
            per_ward=False,
        ),
        post(
            fixed("learning:check_in"),
            everyone("go", **{LEARNER: "reach"}),
            public=True,
            per_ward=False,
            probe=count(LessonProgress),
        ),
    ],
    # The classes of the ward whose address is opened; a learner (ward A's cookie) sees
    # their own ward's at any address, so only its status is checked here.
    "learning:class_upcoming": [
        get(
            fixed("learning:class_upcoming"),
            PUBLIC_OK,
            other=PUBLIC_OK,
            public=True,
            at_ward_address=True,
            ward_text=lambda s: (s.session.place,),
            roles=tuple(r for r in ALL if r != LEARNER),
        ),
        get(
            fixed("learning:class_upcoming"),
            PUBLIC_OK,
            other=PUBLIC_OK,
            public=True,
            at_ward_address=True,
            roles=(LEARNER,),
        ),
        # A learner signs up for a class of their own ward only.
        post(
            lambda s, ctx: reverse("learning:class_upcoming"),
            everyone("go", **{LEARNER: "reach"}),
            other=everyone("go", **{LEARNER: "nf"}),
            data=lambda s, ctx: {"buoi": s.session.pk},
            public=True,
            probe=count(ClassRegistration),
        ),
    ],
    "learning:verify_form": [public(fixed("learning:verify_form"))],
    # Public verification of a certificate code, whichever ward issued it.
    "learning:verify": [
        get(
            lambda s, ctx: reverse("learning:verify", args=[s.certificate.code]),
            PUBLIC_OK,
            # Each ward verifies what it issued, at its own address (the client's is A's).
            other=everyone("nf"),
            public=True,
        )
    ],
    # Its owner (cookie) or the staff of the learner's ward; anyone else 404.
    "learning:certificate_download": [
        get(
            lambda s, ctx: reverse(
                "learning:certificate_download", args=[s.certificate.code]
            ),
            access(ALL_WARD, anon="nf", learner="ok", city="nf"),
            other=everyone("nf"),
            public=True,
        )
    ],
    "learning:handout_download": [
        public(fixed("learning:handout_download", "bai-thu-quyen"))
    ],
    # ---- learning: staff
    "learning:figures": [staff_list(fixed("learning:figures"))],
    "learning:figures_xlsx": [staff_list(fixed("learning:figures_xlsx"))],
    "learning:class_list": [
        staff_list(fixed("learning:class_list")),
        post(
            fixed("learning:class_list"),
            access(RECORDERS, "reach"),
            per_ward=False,
            probe=count(ClassSession),
        ),
        *references(
            fixed("learning:class_list"),
            lambda r, ctx: {
                "course": r.course.pk,
                "date": _today(3),
                "place": "Nhà văn hóa",
                "residential_group": r.group.pk,
            },
            count(ClassSession),
        ),
    ],
    "learning:class_detail": [
        get(_rev("learning:class_detail", "session"), STAFF_ANY),
        # Like creating a class: plan managers and members of a digital team only.
        post(
            _rev("learning:class_detail", "session"),
            access(RECORDERS, "reach"),
            probe=count(LessonProgress),
        ),
        *references(
            _rev("learning:class_detail", "session"),
            lambda r, ctx: {"learner": r.learner.pk, "lesson": r.lesson.pk},
            count(LessonProgress),
        ),
    ],
    "learning:team_list": [staff_list(fixed("learning:team_list"))],
    "learning:team_create": [
        post(
            fixed("learning:team_create"),
            access(MANAGERS, "reach"),
            per_ward=False,
            probe=count(Team),
        ),
        *references(
            fixed("learning:team_create"),
            lambda r, ctx: {"residential_group": ctx["ref"].pk},
            count(Team),
            fresh_ref=_fresh_group,
        ),
    ],
    "learning:team_detail": [get(_rev("learning:team_detail", "team"), STAFF_ANY)],
    "learning:team_member_add": [
        post(
            _rev("learning:team_member_add", "team"),
            access(MANAGERS, "reach"),
            probe=count(TeamMember),
        ),
        *references(
            _rev("learning:team_member_add", "team"),
            lambda r, ctx: {
                "name": "Người mới",
                "role": "thanh_vien",
                "user": r.spare_user.pk,
            },
            count(TeamMember),
        ),
    ],
    "learning:team_member_remove": [
        post(
            fresh("member", _fresh_member)(
                _rev("learning:team_member_remove", key="member")
            ),
            access(MANAGERS, "reach"),
            probe=exists(TeamMember, "member"),
        )
    ],
    "learning:team_target_set": [
        post(
            _rev("learning:team_target_set", "team"),
            access(MANAGERS, "reach"),
            probe=count(TeamTarget),
        ),
    ],
    "learning:visit_form": [
        staff_list(fixed("learning:visit_form"), access(RECORDERS)),
        post(
            fixed("learning:visit_form"),
            access(RECORDERS, "reach"),
            per_ward=False,
            probe=count(SupportVisit),
        ),
        *references(
            fixed("learning:visit_form"),
            lambda r, ctx: {
                "client_id": str(uuid.uuid4()),
                "team": r.team.pk,
                "household_code": "HO-02",
                "date": _today(),
                "helps": ["vneid_muc_2"],
                "result": "xong",
                "people": 1,
            },
            count(SupportVisit),
        ),
    ],
    "learning:visit_sw": [public(fixed("learning:visit_sw"))],
    "learning:import_upload": [
        staff_list(fixed("learning:import_upload"), access(MANAGERS)),
        post(
            fixed("learning:import_upload"),
            access(MANAGERS, "reach"),
            per_ward=False,
            probe=count(Learner),
        ),
    ],
    "learning:import_template": [
        staff_list(fixed("learning:import_template", "hoc-vien"), access(MANAGERS))
    ],
    # ---- content (portal)
    "content:search": [public(fixed("content:search", query="?q=chuyen+doi+so"))],
    "content:rss": [public(fixed("content:rss"))],
    "content:atom": [public(fixed("content:atom"))],
    # The signed link is the credential; a forged one is refused for everybody.
    # An approval link opens only for its approver, signed in: a visitor is sent to the
    # login, any account with a link not made for it (here: forged) is refused.
    "content:approval_decide": [
        get(
            fixed("content:approval_decide", "khong-phai-chu-ky"),
            everyone(403, **{ANON: "login", LEARNER: "login"}),
            per_ward=False,
        ),
        post(
            fixed("content:approval_decide", "khong-phai-chu-ky"),
            everyone(403, **{ANON: "login", LEARNER: "login"}),
            per_ward=False,
        ),
    ],
    # "Viết bài": Wagtail's editor for a new article in a chuyên mục of the user's own
    # ward where they may add pages; the test world's portals have no chuyên mục, so
    # every account is refused (loa/content/tests/test_editor_journey.py: the rest).
    "content:article_write": [
        staff_list(fixed("content:article_write"), access(set())),
    ],
    # ---- channels
    "loa_channels:choose": [
        get(_rev("loa_channels:choose", "page"), STAFF_ANY),
        post(
            _rev("loa_channels:choose", "page"),
            access(POSTERS, "reach"),
            probe=count(ChannelChoice),
        ),
        *references(
            _rev("loa_channels:choose", "page"),
            lambda r, ctx: {"channels": ["led"], "residential_group": r.group.pk},
            count(ChannelChoice),
        ),
    ],
    "loa_channels:delivery_list": [staff_list(fixed("loa_channels:delivery_list"))],
    "loa_channels:delivery_detail": [
        get(_rev("loa_channels:delivery_detail", "delivery"), STAFF_ANY),
        post(
            _rev("loa_channels:delivery_detail", "delivery"),
            access(POSTERS, "reach"),
            probe=field_of(Delivery, "status", "delivery"),
        ),
    ],
    "loa_channels:led_playlist": [
        staff_list(fixed("loa_channels:led_playlist")),
        post(
            fixed("loa_channels:led_playlist"),
            access(POSTERS, "reach"),
            per_ward=False,
            probe=count(Delivery, status=Delivery.Status.MANUAL),
        ),
        # "Đã đưa lên màn hình" marks ward A's waiting LED delivery, never ward B's
        # (the fingerprint guard).
        Row(
            url=fixed("loa_channels:led_playlist"),
            own={**everyone("deny"), EDITOR: "done"},
            method="post",
            data=lambda s, ctx: {"action": "posted"},
            probe=field_of(Delivery, "status", "delivery"),
            per_ward=False,
            roles=(EDITOR,),
        ),
    ],
    "loa_channels:led_playlist_txt": [
        staff_list(fixed("loa_channels:led_playlist_txt"))
    ],
    "loa_channels:led_playlist_json": [
        staff_list(fixed("loa_channels:led_playlist_json"))
    ],
    # ---- print desk, slogans and LED screens (issue 15): access.can_manage_ward_posts
    # prints, proposes slogans and registers screens; plan managers approve slogans.
    "loa_channels:print_desk": [
        staff_list(fixed("loa_channels:print_desk"), access(POSTERS))
    ],
    # Ward B's article is not in ward A's list: 404, no PDF.
    "loa_channels:print_file": [
        get(
            lambda s, ctx: (
                reverse("loa_channels:print_file") + f"?nguon=a{s.page.pk}&loai=poster"
            ),
            access(POSTERS),
        )
    ],
    "loa_channels:slogan_list": [
        staff_list(fixed("loa_channels:slogan_list"), access(POSTERS)),
        post(
            fixed("loa_channels:slogan_list"),
            access(POSTERS, "reach"),
            per_ward=False,
            probe=count(Slogan),
        ),
    ],
    "loa_channels:slogan_approve": [
        post(
            fresh("slogan", _fresh_slogan)(
                _rev("loa_channels:slogan_approve", key="slogan")
            ),
            access(MANAGERS, "reach"),
            probe=field_of(Slogan, "is_approved", "slogan"),
        ),
        Row(
            url=fresh("slogan", _fresh_slogan)(
                _rev("loa_channels:slogan_approve", key="slogan")
            ),
            own={**everyone("deny"), CULTURE: "done"},
            method="post",
            probe=field_of(Slogan, "is_approved", "slogan"),
            per_ward=False,
            roles=(CULTURE,),
        ),
    ],
    "loa_channels:led_screen_list": [staff_list(fixed("loa_channels:led_screen_list"))],
    "loa_channels:led_screen_add": [
        staff_list(fixed("loa_channels:led_screen_add"), access(POSTERS)),
        post(
            fixed("loa_channels:led_screen_add"),
            access(POSTERS, "reach"),
            per_ward=False,
            probe=count(LedScreen),
        ),
    ],
    "loa_channels:led_screen_edit": [
        get(
            fresh("screen", _fresh_led_screen)(
                _rev("loa_channels:led_screen_edit", key="screen")
            ),
            access(POSTERS),
        ),
        post(
            fresh("screen", _fresh_led_screen)(
                _rev("loa_channels:led_screen_edit", key="screen")
            ),
            access(POSTERS, "reach"),
            probe=field_of(LedScreen, "name", "screen"),
        ),
    ],
    "loa_channels:calendar": [staff_list(fixed("loa_channels:calendar"))],
    "loa_channels:radio_archive": [public(fixed("loa_channels:radio_archive"))],
    "loa_channels:radio_feed": [public(fixed("loa_channels:radio_feed"))],
    # Approved segments are public, whichever ward made them.
    "loa_channels:radio_audio": [
        get(
            _rev("loa_channels:radio_audio", "segment"),
            PUBLIC_OK,
            # The archive of the ward whose address is opened (the client's is A's).
            other=everyone("nf"),
            public=True,
        )
    ],
    # A screen shows the playlist of the ward whose address it opens. The code names a
    # screen registered in ward A only: at ward B's address it is a code like any other
    # (an unregistered one opens too), so B's playlist, never A's, nor A's layout.
    "loa_channels:led_screen": [
        get(
            fixed("loa_channels:led_screen", SCREEN_A),
            PUBLIC_OK,
            other=PUBLIC_OK,
            public=True,
            at_ward_address=True,
            ward_text=lambda s: (
                str(s.ward),
                s.mark,
                f'<body class="layout-{"strip" if s.tag == "a" else "169"}"',
            ),
        )
    ],
    "loa_channels:led_screen_json": [
        get(
            fixed("loa_channels:led_screen_json", SCREEN_A),
            PUBLIC_OK,
            other=PUBLIC_OK,
            public=True,
            at_ward_address=True,
            ward_text=lambda s: (str(s.ward), s.mark),
        )
    ],
    # An approved segment's MP3 beside its WAV (written here: the world has the WAV only).
    "loa_channels:radio_audio_mp3": [
        get(
            _radio_mp3,
            PUBLIC_OK,
            other=everyone("nf"),
            public=True,
        )
    ],
    # The staff desk "Phát thanh": plan managers and the radio unit's staff.
    "loa_channels:radio_desk": [
        staff_list(fixed("loa_channels:radio_desk"), access(RADIO))
    ],
    # Without the week it builds (an empty body) nothing is built.
    "loa_channels:radio_build": [
        post(
            fixed("loa_channels:radio_build"),
            access(RADIO, "refuse"),
            per_ward=False,
            probe=count(RadioSegment),
        )
    ],
    "loa_channels:radio_airings": [
        staff_list(fixed("loa_channels:radio_airings"), access(RADIO))
    ],
    "loa_channels:radio_segment": [
        get(_rev("loa_channels:radio_segment", "segment"), access(RADIO))
    ],
    "loa_channels:radio_edit": [
        get(_rev("loa_channels:radio_edit", "segment"), access(RADIO)),
        # An empty script is refused by the form: nothing is read again.
        post(
            _rev("loa_channels:radio_edit", "segment"),
            access(RADIO, "reach"),
            probe=field_of(RadioSegment, "built_at", "segment"),
        ),
    ],
    "loa_channels:radio_approve": [
        post(
            fresh("radio", _fresh_radio_segment)(
                _rev("loa_channels:radio_approve", key="radio")
            ),
            access(RADIO, "reach"),
            probe=field_of(RadioSegment, "approved_at", "radio"),
        )
    ],
    "loa_channels:radio_file": [
        get(
            lambda s, ctx: reverse(
                "loa_channels:radio_file", args=[s.segment.pk, "wav"]
            ),
            access(RADIO),
        )
    ],
    # The smart-radio platform's token, not a login: 403 for everybody without it.
    "loa_channels:airing_log": [
        post(
            lambda s, ctx: (
                reverse("loa_channels:airing_log") + f"?phuong={s.ward.slug}"
            ),
            everyone(403),
            other=everyone(403),
            public=True,
        ),
    ],
    # ---- reports
    "reports:dashboard": [
        staff_list(fixed("reports:dashboard"), access(READERS, city="ok"))
    ],
    "reports:dashboard_xlsx": [
        staff_list(fixed("reports:dashboard_xlsx"), access(READERS, city="ok"))
    ],
    # City staff read every ward of their city (both wards are in it).
    "reports:indicator_detail": [
        get(_rev("reports:indicator_detail", "indicator"), access(READERS, city="ok"))
    ],
    "reports:indicator_create": [
        get(
            lambda s, ctx: reverse("reports:indicator_create", args=[s.plan.pk]),
            access(MANAGERS),
        ),
        post(
            lambda s, ctx: reverse("reports:indicator_create", args=[s.plan.pk]),
            access(MANAGERS, "reach"),
            probe=count(Indicator),
        ),
        *references(
            lambda s, ctx: reverse("reports:indicator_create", args=[s.plan.pk]),
            lambda r, ctx: {
                "name": "Chỉ tiêu mới",
                "measure": "so_hoat_dong",
                "target": 3,
                "period": "thang",
                "order": 0,
                "unit": r.service.pk,
            },
            count(Indicator),
        ),
    ],
    "reports:indicator_edit": [
        get(
            lambda s, ctx: reverse(
                "reports:indicator_edit", args=[s.plan.pk, s.indicator.pk]
            ),
            access(MANAGERS),
        ),
        post(
            lambda s, ctx: reverse(
                "reports:indicator_edit", args=[s.plan.pk, s.indicator.pk]
            ),
            access(MANAGERS, "reach"),
            probe=field_of(Indicator, "name", "indicator"),
        ),
    ],
    "reports:budget": [
        staff_list(fixed("reports:budget"), access(READERS)),
        post(
            fixed("reports:budget"),
            access(MANAGERS, "reach"),
            per_ward=False,
            probe=count(BudgetAllocation),
        ),
        *references(
            fixed("reports:budget"),
            lambda r, ctx: {
                "year": timezone.localdate().year,
                "unit": r.service.pk,
                "source": "ngan_sach",
                "amount": 1000,
            },
            count(BudgetAllocation),
        ),
    ],
    "reports:expense_create": [
        get(
            lambda s, ctx: reverse("reports:expense_create", args=[s.activity.pk]),
            access(ACTORS),
            other={**derive_other(access(ACTORS)), CITY: "deny"},
        ),
        post(
            lambda s, ctx: reverse("reports:expense_create", args=[s.activity.pk]),
            access(ACTORS, "reach"),
            probe=count(Expense),
        ),
    ],
    # City staff never open a ward's draft: the list sends them to the sent reports.
    "reports:draft_list": [
        staff_list(fixed("reports:draft_list"), access(READERS, city="go")),
        post(
            fixed("reports:draft_list"),
            access(MANAGERS, "reach"),
            per_ward=False,
            probe=count(ReportDraft),
        ),
        *references(
            fixed("reports:draft_list"),
            lambda r, ctx: {"plan": r.plan.pk, "preset": "nam"},
            count(ReportDraft),
        ),
    ],
    "reports:draft_detail": [
        get(_rev("reports:draft_detail", "draft"), access(READERS, city="nf"))
    ],
    # Readers of the draft reach the write; the service refuses all but the managers.
    "reports:draft_update": [
        post(
            _rev("reports:draft_update", "draft"),
            access(READERS, "reach", city="nf", **{UNIT: "refuse"}),
            probe=field_of(ReportDraft, "updated_at", "draft"),
        ),
    ],
    "reports:narrative_update": [
        post(
            _rev("reports:narrative_update", "draft"),
            access(READERS, "reach", city="nf"),
            probe=count(UnitNarrative),
        ),
        *references(
            _rev("reports:narrative_update", "draft"),
            lambda r, ctx: {"unit": r.culture.pk, "text": "Phần viết của đơn vị."},
            count(UnitNarrative),
        ),
    ],
    "reports:commendation_add": [
        post(
            _rev("reports:commendation_add", "draft"),
            access(READERS, "reach", city="nf", **{UNIT: "refuse"}),
            probe=count(Commendation),
        ),
        *references(
            _rev("reports:commendation_add", "draft"),
            lambda r, ctx: {
                "kind": "tap_the",
                "name": "Tập thể",
                "reason": "Tốt.",
                "unit": r.culture.pk,
            },
            count(Commendation),
        ),
    ],
    "reports:commendation_remove": [
        post(
            fresh("commendation", _fresh_commendation)(
                lambda s, ctx: reverse(
                    "reports:commendation_remove",
                    args=[s.draft.pk, ctx["commendation"].pk],
                )
            ),
            access(MANAGERS, "reach", city="nf", **{UNIT: "refuse"}),
            probe=exists(Commendation, "commendation"),
        )
    ],
    "reports:draft_export": [
        get(
            lambda s, ctx: reverse("reports:draft_export", args=[s.draft.pk, "xlsx"]),
            access(READERS, city="nf"),
        )
    ],
    # "Gửi báo cáo" and its undoing: the ward's plan managers, on a draft of their own.
    "reports:draft_submit": [
        post(
            fresh("report", _fresh_draft)(_rev("reports:draft_submit", key="report")),
            access(MANAGERS, "done", city="nf", **{UNIT: "refuse"}),
            other=derive_other(
                access(MANAGERS, "reach", city="nf", **{UNIT: "refuse"})
            ),
            probe=field_of(ReportDraft, "submitted_at", "report"),
        )
    ],
    "reports:draft_withdraw": [
        post(
            fresh("report", _fresh_sent_report)(
                _rev("reports:draft_withdraw", key="report")
            ),
            access(MANAGERS, "done", city="nf", **{UNIT: "refuse"}),
            other=derive_other(
                access(MANAGERS, "reach", city="nf", **{UNIT: "refuse"})
            ),
            probe=field_of(ReportDraft, "submitted_at", "report"),
        )
    ],
    # City staff read the reports their city's wards sent (both wards are in it), never
    # a draft; ward staff have their own draft pages.
    "reports:city_reports": [
        staff_list(fixed("reports:city_reports"), access(set(), city="ok"))
    ],
    "reports:city_report": [
        get(
            fresh("report", _fresh_sent_report)(
                _rev("reports:city_report", key="report")
            ),
            access(set(), city="ok"),
        ),
        get(_rev("reports:city_report", "draft"), access(set(), city="nf")),
    ],
    "reports:city_report_export": [
        get(
            fresh("report", _fresh_sent_report)(
                lambda s, ctx: reverse(
                    "reports:city_report_export", args=[ctx["report"].pk, "xlsx"]
                )
            ),
            access(set(), city="ok"),
        ),
        get(
            lambda s, ctx: reverse(
                "reports:city_report_export", args=[s.draft.pk, "xlsx"]
            ),
            access(set(), city="nf"),
        ),
    ],
    # ---- the city's library: ward B shares ward A's city, so "other" is another city.
    "library:item_list": [
        staff_list(fixed("library:item_list"), access(ALL_WARD, city="ok")),
        post(
            fixed("library:item_list"),
            access(set(), city="reach"),
            per_ward=False,
            probe=count(LibraryItem),
        ),
    ],
    "library:item_detail": [
        get(
            _rev("library:item_detail", "library_item"),
            access(ALL_WARD, city="ok"),
            other={**derive_other(access(ALL_WARD)), CITY: "nf"},
        )
    ],
    "library:item_copy": [
        post(
            _rev("library:item_copy", "library_item"),
            access(PLAN_COPIERS, "reach"),
            other={**derive_other(access(PLAN_COPIERS)), CITY: "nf"},
            probe=count(LibraryCopy),
        ),
    ],
    # ---- API (django-ninja): JSON, 401 without a session where a login is needed
    "api:openapi-json": [public(fixed("api:openapi-json"))],
    "api:openapi-view": [public(fixed("api:openapi-view"))],
    "api:api-root": [public(fixed("api:api-root"), 404)],
    "api:ask": [
        post(
            fixed("api:ask"),
            everyone(422),
            public=True,
            per_ward=False,
            as_json=True,
            probe=count(Exchange),
        ),
    ],
    "api:feedback": [
        post(
            fixed("api:feedback"),
            everyone(422),
            public=True,
            per_ward=False,
            as_json=True,
            probe=count(Exchange, feedback__isnull=False),
        ),
    ],
    "api:residential_groups": [
        get(
            lambda s, ctx: reverse("api:residential_groups") + f"?ward={s.ward.slug}",
            PUBLIC_OK,
            other=PUBLIC_OK,
            public=True,
        )
    ],
    "api:handoff": [
        post(
            fixed("api:handoff"),
            everyone(422),
            public=True,
            per_ward=False,
            as_json=True,
            probe=count(VolunteerRequest),
        ),
    ],
    "api:team_list": [
        staff_list(fixed("api:team_list"), access(ALL_WARD, anon=401, city="ok"))
    ],
    # A visit names the team: managers for any team of the ward, a member for their own;
    # a team of another ward is not found.
    "api:learning_visit_create": [
        post(
            fixed("api:learning_visit_create"),
            access(
                RECORDERS,
                201,
                anon=401,
                city=403,
                **dict.fromkeys(ALL_WARD - RECORDERS, 403),
            ),
            other=access(
                RECORDERS,
                404,
                anon=401,
                city=403,
                **dict.fromkeys(ALL_WARD - RECORDERS, 404),
            ),
            as_json=True,
            data=lambda s, ctx: {
                "client_id": str(uuid.uuid4()),
                "team_id": s.team.pk,
                "household_code": "HO-01",
                "helps": [SupportVisit.Help.VNEID_LEVEL2],
            },
            probe=count(SupportVisit),
        )
    ],
}

# Outcomes that may leave a change behind (a created visit answers 201).
CHANGING = {"reach", 201}


# --------------------------------------------------------------------------- the world


def _side(tag: str, mark: str, ward, course, lesson, tmp_media) -> SimpleNamespace:
    s = SimpleNamespace(tag=tag, mark=mark, ward=ward, course=course, lesson=lesson)
    s.leadership = UnitFactory(
        ward=ward, name=f"Lãnh đạo UBND {tag}", kind=Unit.Kind.LEADERSHIP
    )
    s.culture = UnitFactory(ward=ward, name=f"Phòng Văn hóa - Xã hội {tag}")
    s.service = UnitFactory(ward=ward, name=f"Trung tâm Dịch vụ {tag}")
    s.plan = PlanFactory(
        ward=ward, number=f"{tag}1/KH {mark}", title=f"Kế hoạch {mark}"
    )
    s.plan.source_file.save(
        f"ke-hoach-{tag}.txt", ContentFile(f"Kế hoạch {mark}".encode())
    )
    s.plan.source_filename = f"ke-hoach-{tag}.txt"
    s.plan.save()
    s.review_plan = PlanFactory(
        ward=ward,
        status=Plan.Status.REVIEW,
        confirmed_at=None,
        title=f"Bản nhập {mark}",
    )
    s.task = TaskFactory(plan=s.plan, unit=s.service, text=f"Nhiệm vụ {mark}")
    TaskFactory(plan=s.plan, unit=s.culture, text=f"Nhiệm vụ khác {mark}")
    s.activity = ActivityFactory(
        task=s.task, title=f"Hoạt động {mark}", date=timezone.localdate()
    )
    s.activity.evidence_file.save(f"minh-chung-{tag}.txt", ContentFile(b"minh chung"))
    s.indicator = Indicator.objects.create(
        plan=s.plan,
        name=f"Chỉ tiêu {mark}",
        measure=Indicator.Measure.ACTIVITIES,
        target=5,
    )
    today = timezone.localdate()
    s.draft = draft_get_or_create(s.plan, date(today.year, 1, 1), today)
    ReportDraft.objects.filter(pk=s.draft.pk).update(introduction=f"Mở đầu {mark}")
    s.draft.refresh_from_db()
    Commendation.objects.create(
        draft=s.draft,
        kind=Commendation.Kind.UNIT,
        name=f"Tập thể {mark}",
        reason="Tích cực.",
    )
    s.group = ResidentialGroup.objects.create(ward=ward, name=f"Tổ dân phố 1 {tag}")
    s.team = Team.objects.create(
        ward=ward, residential_group=s.group, name=f"Tổ công nghệ số {mark}"
    )
    s.member = TeamMember.objects.create(team=s.team, name=f"Thành viên {mark}")
    s.learner = Learner.objects.create(
        ward=ward,
        name=f"Học viên {mark}",
        birth_year=1960,
        residential_group=s.group,
        consent_at=timezone.now(),
    )
    s.certificate = Certificate.objects.create(learner=s.learner, course=course)
    s.attempt = QuizAttempt.objects.create(
        learner=s.learner, course=course, question_ids=[]
    )
    s.session = ClassSession.objects.create(
        ward=ward,
        course=course,
        lesson=lesson,
        date=today + timedelta(days=7),
        place=f"Nhà văn hóa {mark}",
    )
    s.doc = KnowledgeDocument.objects.create(
        ward=ward,
        external_id=f"doc-{tag}",
        title=f"Tài liệu {mark}",
        text="## Mục 1\nNội dung hướng dẫn.",
    )
    s.faq = FAQ.objects.create(
        ward=ward,
        external_id=f"faq-{tag}",
        question=f"Hỏi {mark}",
        answer="Đáp.",
        source="Phường",
    )
    conversation = Conversation.objects.create(ward=ward)
    exchange = Exchange.objects.create(
        conversation=conversation, question=f"Hỏi {mark}", answer="Chưa rõ."
    )
    s.ticket = Ticket.objects.create(
        ward=ward, exchange=exchange, question=f"Câu hỏi chờ {mark}"
    )
    s.volunteer_request = VolunteerRequest.objects.create(
        ward=ward, residential_group=s.group, question=f"Cần giúp {mark}"
    )
    root = ward.site.root_page  # the ward's own portal: its pages belong to the ward
    s.page = ArticlePage(
        title=f"Bài {mark}",
        slug=f"bai-quyen-{tag}",
        sapo=mark,
        body=[],
        related_task=s.task,
        live=False,
    )
    root.add_child(instance=s.page)
    # Live without publishing (no outbox, no index): the LED playlists list its delivery.
    ArticlePage.objects.filter(pk=s.page.pk).update(
        live=True, first_published_at=timezone.now()
    )
    s.delivery = Delivery.objects.create(
        ward=ward,
        page=s.page,
        channel="led",
        idempotency_key=f"quyen-{tag}",
        title=f"Tin {mark}",
        variant=mark,
        status=Delivery.Status.MANUAL,
    )
    audio = f"radio/quyen-{tag}.wav"
    (tmp_media / "radio").mkdir(parents=True, exist_ok=True)
    (tmp_media / audio).write_bytes(b"RIFF0000WAVE")
    s.segment = RadioSegment.objects.create(
        week="2026-W10",
        ward=ward,
        title=f"Phát thanh {mark}",
        audio=audio,
        approved_at=timezone.now(),
        size=12,
    )
    Notification.objects.create(ward=ward, title=f"Thông báo {mark}")
    audit_record(action="create", obj=s.plan, ward=ward, object_repr=f"Nhật ký {mark}")
    # A staff account in no team: the one a team may take as a member.
    s.spare_user = staff_user(ward=ward, unit=s.service, role=roles.UNIT_STAFF)
    return s


@pytest.fixture(scope="module")
def media_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("permission-matrix-media")


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, media_dir):
    """Overrides the conftest's: the module's files live in one folder for all tests."""
    settings.MEDIA_ROOT = media_dir


@pytest.fixture(autouse=True)
def _channel_secrets(settings, tmp_path):
    """Webhooks and the smart-radio log are configured, so only the signature decides."""
    settings.LOA_MESSENGER_APP_SECRET = "bi-mat-ung-dung"
    settings.LOA_MESSENGER_VERIFY_TOKEN = "ma-xac-minh"
    settings.LOA_ZALO_APP_ID = "123"
    settings.LOA_ZALO_OA_SECRET = "bi-mat-oa"
    settings.LOA_SMART_RADIO_TOKEN = "ma-dai-thong-minh"
    settings.LOA_TICKET_LOOKUPS_PER_MINUTE = (
        1000  # every role looks up from one address
    )
    settings.LOA_ASSISTANT_INDEX_DIR = tmp_path / "assistant-index"


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, media_dir):
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media_dir):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            w = _build_world(media_dir)
            yield w
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def _build_world(media_dir) -> SimpleNamespace:
    course = Course.objects.create(
        slug="khoa-thu-quyen", title="Khóa học thử quyền", questions_per_quiz=1
    )
    lesson = Lesson.objects.create(
        course=course,
        slug="bai-thu-quyen",
        title="Bài 1",
        order=1,
        body="## Bài 1\nNội dung.",
    )
    ward_a = WardFactory(name="Thử Quyền A", slug="thu-quyen-a", province=CITY_NAME)
    ward_b = WardFactory(name="Thử Quyền B", slug="thu-quyen-b", province=CITY_NAME)
    # Public pages find their ward from the address: the test client's host is ward A's
    # (the default site); ward B has its own host name.
    from wagtail.models import Page, Site

    default_site = Site.objects.filter(
        is_default_site=True
    ).first() or Site.objects.create(
        hostname="localhost",
        root_page=Page.get_first_root_node(),
        is_default_site=True,
    )
    ward_a.site = default_site
    ward_a.save(update_fields=["site"])
    # Ward B's portal is a tree of its own, as every ward's is.
    b_root = Page.get_first_root_node().add_child(
        instance=Page(title="Cổng thông tin Thử Quyền B", slug="cong-thu-quyen-b")
    )
    ward_b.site = Site.objects.create(
        hostname="thu-quyen-b.localhost", root_page=b_root
    )
    ward_b.save(update_fields=["site"])
    a = _side("a", MARK_A, ward_a, course, lesson, media_dir)
    b = _side("b", MARK_B, ward_b, course, lesson, media_dir)
    a.other, b.other = b, a
    LedScreen.objects.create(
        ward=ward_a,
        name=f"Màn hình cổng UBND {MARK_A}",
        slug=SCREEN_A,
        location="Cổng UBND",
        layout="strip",
    )
    a.library_item = LibraryItem.objects.create(
        city=CITY_NAME,
        kind=LibraryItem.Kind.PLAN_TEMPLATE,
        title="Mẫu kế hoạch",
        body="Phòng Văn hóa - Xã hội | Tuyên truyền chuyển đổi số",
        source="Sở KH&CN",
    )
    b.library_item = LibraryItem.objects.create(
        city="Thành phố Hà Nội",
        kind=LibraryItem.Kind.PLAN_TEMPLATE,
        title=f"Mẫu của thành phố khác {MARK_B}",
        body="Phòng Văn hóa - Xã hội | Tuyên truyền",
        source="Sở KH&CN Hà Nội",
    )
    units = {LEADER: a.leadership, CULTURE: a.culture, UNIT: a.service}
    users = {
        key: staff_user(ward=ward_a, unit=units.get(key), role=group)
        for key, group in ROLE_GROUPS.items()
    }
    a.member.user = users[DIGITAL]
    a.member.save()
    superuser = UserFactory(is_superuser=True, is_staff=True)
    superuser.save()
    Membership.objects.create(user=superuser, ward=ward_a)
    users[SUPER] = superuser
    city = UserFactory()
    city.save()
    city.groups.add(Group.objects.get_or_create(name=roles.CITY_STAFF)[0])
    Membership.objects.create(user=city, ward=None, city=CITY_NAME)
    users[CITY] = city
    sessions = {}
    for role, user in users.items():
        client = Client()
        client.force_login(user)
        sessions[role] = client.session.session_key
    return SimpleNamespace(a=a, b=b, users=users, sessions=sessions)


def _ward_fingerprint(ward_id: int) -> tuple:
    """What a ward holds, in one query: no request about ward A may change ward B's."""
    from django.db import connection

    def t(model):
        return model._meta.db_table

    w = int(ward_id)
    teams = f"SELECT id FROM {t(Team)} WHERE ward_id = {w}"
    learners = f"SELECT id FROM {t(Learner)} WHERE ward_id = {w}"
    plans = f"SELECT id FROM {t(Plan)} WHERE ward_id = {w}"
    drafts = f"SELECT id FROM {t(ReportDraft)} WHERE ward_id = {w}"
    parts = [
        f"SELECT COUNT(*) FROM {t(AuditLog)} WHERE ward_id = {w}",
        f"SELECT COUNT(*) FROM {t(Plan)} WHERE ward_id = {w}",
        f"SELECT COUNT(*) FROM {t(Task)} WHERE plan_id IN ({plans})",
        f"SELECT COUNT(*) FROM {t(Task)} WHERE plan_id IN ({plans})"
        " AND completed_at IS NOT NULL",
        f"SELECT COUNT(*) FROM {t(Activity)} WHERE ward_id = {w}",
        f"SELECT COUNT(*) FROM {t(Notification)} WHERE ward_id = {w}"
        " AND read_at IS NOT NULL",
        f"SELECT COUNT(*) FROM {t(FAQ)} WHERE ward_id = {w}",
        f"SELECT MAX(updated_at) FROM {t(FAQ)} WHERE ward_id = {w}",
        f"SELECT COUNT(*) FROM {t(KnowledgeDocument)} WHERE ward_id = {w}",
        f"SELECT MAX(updated_at) FROM {t(KnowledgeDocument)} WHERE ward_id = {w}",
        f"SELECT COUNT(*) FROM {t(Ticket)} WHERE ward_id = {w} AND status != 'open'",
        f"SELECT COUNT(*) FROM {t(VolunteerRequest)} WHERE ward_id = {w}"
        " AND status != 'new'",
        f"SELECT COUNT(*) FROM {t(Team)} WHERE ward_id = {w}",
        f"SELECT COUNT(*) FROM {t(TeamMember)} WHERE team_id IN ({teams})",
        f"SELECT COUNT(*) FROM {t(TeamTarget)} WHERE team_id IN ({teams})",
        f"SELECT COUNT(*) FROM {t(SupportVisit)} WHERE team_id IN ({teams})",
        f"SELECT COUNT(*) FROM {t(Delivery)} WHERE ward_id = {w} AND status != 'manual'",
        f"SELECT MAX(updated_at) FROM {t(ReportDraft)} WHERE ward_id = {w}",
        f"SELECT COUNT(*) FROM {t(ReportDraft)} WHERE ward_id = {w}",
        f"SELECT COUNT(*) FROM {t(Commendation)} WHERE draft_id IN ({drafts})",
        f"SELECT COUNT(*) FROM {t(UnitNarrative)} WHERE draft_id IN ({drafts})",
        f"SELECT COUNT(*) FROM {t(Indicator)} WHERE plan_id IN ({plans})",
        f"SELECT COUNT(*) FROM {t(BudgetAllocation)} WHERE ward_id = {w}",
        f"SELECT COUNT(*) FROM {t(Expense)} WHERE ward_id = {w}",
        f"SELECT COUNT(*) FROM {t(Learner)} WHERE ward_id = {w}",
        f"SELECT COUNT(*) FROM {t(LessonProgress)} WHERE learner_id IN ({learners})",
        f"SELECT COUNT(*) FROM {t(QuizAttempt)} WHERE learner_id IN ({learners})",
        f"SELECT COUNT(*) FROM {t(ClassSession)} WHERE ward_id = {w}",
        f"SELECT COUNT(*) FROM {t(ClassRegistration)} WHERE learner_id IN ({learners})",
        f"SELECT COUNT(*) FROM {t(ChannelChoice)} WHERE residential_group_id IN"
        f" (SELECT id FROM {t(ResidentialGroup)} WHERE ward_id = {w})",
        f"SELECT COUNT(*) FROM {t(LibraryCopy)} WHERE ward_id = {w}",
    ]
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(f"({q})" for q in parts))
        return tuple(cursor.fetchone())


@pytest.fixture(autouse=True)
def _quick_pdfs(monkeypatch):
    """Access is under test here, not the PDF layout (loa/learning/tests test that)."""
    from loa.learning import documents

    monkeypatch.setattr(documents, "certificate_pdf", lambda **kw: b"%PDF-1.4 quyen")
    monkeypatch.setattr(documents, "handout_pdf", lambda **kw: b"%PDF-1.4 quyen")


# --------------------------------------------------------------------------- checks


def _status_ok(outcome, response) -> bool:
    code = response.status_code
    location = urlsplit(response.get("Location", "")).path
    to_login = code == 302 and location.startswith(LOGIN_PATH)
    if outcome == "ok":
        return code == 200
    if outcome == "go":
        return code in (301, 302) and not to_login
    if outcome == "done":
        return code == 302 and not to_login
    if outcome in ("reach", "refuse"):
        return code in (200, 400) or (code == 302 and not to_login)
    if outcome == "login":
        return to_login
    if outcome == "deny":
        return code in (403, 404)
    if outcome == "nf":
        return code == 404
    if isinstance(outcome, int):
        return code == outcome
    return code in outcome


def _may_change(outcome, response) -> bool:
    if outcome in (201, "done"):
        return True
    return outcome == "reach" and response.status_code == 302


def _text(response) -> str:
    if getattr(response, "streaming", False):
        return ""
    kind = response.get("Content-Type", "")
    if not any(t in kind for t in ("text/", "json", "javascript", "xml")):
        return ""
    return response.content.decode("utf-8", "replace")


def _client(world, role) -> Client:
    """A client signed in as `role` with the session made once for the module."""
    client = Client()
    if role == LEARNER:
        client.cookies[learning_services.LEARNER_COOKIE] = world.a.learner.access_key
    elif role != ANON:
        client.cookies[django_settings.SESSION_COOKIE_NAME] = world.sessions[role]
    return client


def _request(client, row: Row, url: str, data: dict | None, host: str | None = None):
    extra = {"HTTP_HOST": host} if host else {}
    if row.method == "get":
        return client.get(url, **extra)
    if row.as_json:
        return client.post(
            url, data=json.dumps(data or {}), content_type="application/json", **extra
        )
    return client.post(url, data=data or {}, **extra)


def _url_names() -> dict[str, str]:
    """Every named (or, failing a name, every) route outside the admin trees."""
    found: dict[str, str] = {}

    def walk(patterns, prefix="", namespace=None):
        for p in patterns:
            route = prefix + str(p.pattern)
            if route.startswith(EXCLUDED_PREFIXES):
                continue
            if isinstance(p, URLResolver):
                ns = namespace
                if p.namespace:
                    ns = f"{namespace}:{p.namespace}" if namespace else p.namespace
                walk(p.url_patterns, route, ns)
            elif isinstance(p, URLPattern):
                if p.name in EXCLUDED_NAMES:
                    continue
                name = p.name and (f"{namespace}:{p.name}" if namespace else p.name)
                found[name or f"(unnamed) {route}"] = route

    walk(get_resolver().url_patterns)
    return found


def test_every_url_name_is_in_the_table():
    names = _url_names()
    missing = sorted(set(names) - set(TABLE))
    stale = sorted(set(TABLE) - set(names))
    assert not missing, (
        "URLs without a row in the permission matrix (add them to TABLE):\n"
        + "\n".join(f"  {n}  ({names[n]})" for n in missing)
    )
    assert not stale, f"TABLE rows for URL names that no longer exist: {stale}"


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(TABLE))
def test_permission_matrix(name, world):
    failures = []
    for row in TABLE[name]:
        sides = ("a", "b") if row.per_ward else ("a",)
        for side_key in sides:
            # New clients each time: a logout, a resume link or a deletion changes cookies.
            clients = {role: _client(world, role) for role in ALL}
            side = getattr(world, side_key)
            outcomes = row.outcomes(side_key)
            assert set(outcomes) == set(ALL), f"{name}: roles missing in its row"
            for role in row.roles:
                outcome = outcomes[role]
                ctx: dict = {}
                url = row.url(side, ctx)
                data = row.data(side, ctx) if row.data else None
                before = row.probe(side, ctx) if row.probe else None
                guard = row.method == "post" and _ward_fingerprint(world.b.ward.pk)
                host = ward_address(side) if row.at_ward_address else None
                response = _request(clients[role], row, url, data, host)
                where = (
                    f"{row.method.upper()} {url} as {role} (ward {side_key.upper()})"
                    + (f" at {host}" if host else "")
                )
                if not _status_ok(outcome, response):
                    failures.append(
                        f"{where}: expected {outcome!r}, got {response.status_code}"
                        f" {response.get('Location', '')}"
                    )
                if row.probe:
                    after = row.probe(side, ctx)
                    if outcome == "done" and after == before:
                        failures.append(f"{where}: the valid write changed nothing")
                    if not _may_change(outcome, response) and after != before:
                        failures.append(
                            f"{where}: changed data ({before!r} → {after!r})"
                        )
                if guard and not (side_key == "b" and _may_change(outcome, response)):
                    if _ward_fingerprint(world.b.ward.pk) != guard:
                        failures.append(f"{where}: changed ward B's records")
                if row.ward_text and response.status_code == 200:
                    text = _text(response)
                    missing = [t for t in row.ward_text(side) if t not in text]
                    foreign = [t for t in row.ward_text(side.other) if t in text]
                    if missing:
                        failures.append(f"{where}: does not show {missing}")
                    if foreign:
                        failures.append(f"{where}: shows the other ward's {foreign}")
                if row.public or role not in WARD:
                    continue
                if side_key == "b" and response.status_code == 200:
                    failures.append(f"{where}: another ward's object answered 200")
                if response.status_code == 200 and MARK_B in _text(response):
                    failures.append(f"{where}: shows a record of ward B")
    assert not failures, f"{name}:\n" + "\n".join(failures)


@pytest.mark.django_db
def test_the_public_api_answers_an_anonymous_question(world):
    """The ask row above only shows the endpoint is not behind a login; it answers."""
    response = Client().post(
        reverse("api:ask"),
        data=json.dumps({"question": "Làm thế nào để kích hoạt VNeID?"}),
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert Exchange.objects.filter(pk=response.json()["exchange_id"]).exists()


# --------------------------------------------------------------------------- admin trees


@pytest.mark.django_db
def test_admin_trees_need_their_own_login(world):
    anonymous = Client()
    cms = anonymous.get("/cms/")
    # Loa's own login, not Wagtail's (settings.WAGTAILADMIN_LOGIN_URL).
    assert cms.status_code == 302 and cms["Location"].startswith(LOGIN_PATH)
    admin = anonymous.get("/django-admin/")
    assert admin.status_code == 302 and "/django-admin/login/" in admin["Location"]
    # Roles the content starter never gives Wagtail rights (editors, approvers and
    # leaders get them in loa.content.starter).
    for role in (UNIT, DIGITAL, CITY):
        client = _client(world, role)
        response = client.get("/cms/pages/")
        assert response.status_code in (302, 403), (role, response.status_code)
        if response.status_code == 302:
            assert not response["Location"].startswith("/cms/pages/")
        response = client.get("/django-admin/")
        assert response.status_code in (302, 403), (role, response.status_code)
        if response.status_code == 302:
            assert "/django-admin/login/" in response["Location"]
