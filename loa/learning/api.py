"""JSON API of the community digital teams (mounted at /api/learning/).

The visit form's offline queue (static/learning/visit.js) posts here. Authentication is
the Django session with its CSRF check; the script reads the CSRF cookie at send time,
so a submission queued before a re-login still goes through.

Contract with visit.js:
- 201: created; 200: the same client_id was already recorded (same visit returned).
  Either way the phone removes the submission from its queue.
- 400/403/404/409/422 with a `code`: the submission can never succeed as it is; the
  phone keeps it aside with the reason.
- 401, or 403 without a `code` (CSRF): keep it and retry after the user signs in.
"""

import datetime
import uuid

from django.core.exceptions import ValidationError
from ninja import Field, Router, Schema, Status
from ninja.security import django_auth

from loa.core.access import NO_WARD_MESSAGE, is_plan_manager, user_ward

from . import teams
from .models import SupportVisit, Team

router = Router(auth=django_auth, tags=["Tổ công nghệ số cộng đồng"])


class VisitIn(Schema):
    client_id: uuid.UUID
    team_id: int | None = None
    household_code: str = Field(max_length=60)
    date: datetime.date | None = None
    helps: list[str] = Field(default_factory=list, max_length=10)
    result: str = SupportVisit.Result.DONE
    people: int = 1
    note: str = Field("", max_length=1000)


class VisitOut(Schema):
    id: int
    client_id: uuid.UUID
    team_id: int
    household_code: str
    date: datetime.date
    helps: list[str]
    result: str
    people: int
    activity_id: int | None
    created: bool


class ErrorOut(Schema):
    detail: str
    code: str
    errors: dict[str, list[str]] = {}


class TeamOut(Schema):
    id: int
    name: str
    residential_group: str


def _error(status: int, detail: str, code: str, errors=None):
    return Status(status, {"detail": detail, "code": code, "errors": errors or {}})


def _visit_out(visit: SupportVisit, created: bool) -> dict:
    return {
        "id": visit.pk,
        "client_id": visit.client_id,
        "team_id": visit.team_id,
        "household_code": visit.household_code,
        "date": visit.date,
        "helps": visit.helps,
        "result": visit.result,
        "people": visit.people,
        "activity_id": visit.activity_id,
        "created": created,
    }


@router.get("/teams", response=list[TeamOut], summary="Các tổ tôi được ghi lượt hỗ trợ")
def team_list(request):
    return [
        {"id": t.pk, "name": t.name, "residential_group": t.residential_group.name}
        for t in teams.teams_recordable_by(request.user)
    ]


@router.post(
    "/visits",
    response={
        200: VisitOut,
        201: VisitOut,
        400: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
    },
    url_name="learning_visit_create",
    summary="Ghi một lượt hỗ trợ hộ dân (gửi lại cùng client_id không tạo bản ghi mới)",
)
def visit_create(request, payload: VisitIn):
    user = request.auth
    ward = user_ward(user)
    if ward is None:
        return _error(403, NO_WARD_MESSAGE, "no_ward")
    member = teams.member_for_user(user)
    if payload.team_id is not None:
        team = Team.objects.filter(ward=ward, pk=payload.team_id).first()
        if team is None:
            return _error(404, "Không tìm thấy tổ công nghệ số.", "team_not_found")
    elif member is not None:
        team = member.team
    else:
        return _error(
            400,
            "Vui lòng chọn tổ công nghệ số.",
            "team_missing",
            {"team_id": ["Vui lòng chọn tổ."]},
        )
    is_own_team = member is not None and member.team_id == team.pk
    if not (is_own_team or is_plan_manager(user)):
        return _error(
            403,
            "Chỉ thành viên của tổ hoặc cán bộ phụ trách được ghi lượt hỗ trợ cho tổ này.",
            "forbidden_team",
        )
    try:
        visit, created = teams.visit_record(
            team=team,
            by=user,
            client_id=payload.client_id,
            household_code=payload.household_code,
            date=payload.date,
            helps=payload.helps,
            result=payload.result,
            people=payload.people,
            note=payload.note,
            member=member if is_own_team else None,
        )
    except ValidationError as exc:
        if getattr(exc, "code", None) == "client_id_conflict":
            return _error(409, " ".join(exc.messages), "client_id_conflict")
        errors = exc.message_dict if hasattr(exc, "error_dict") else {}
        return _error(400, " ".join(exc.messages), "invalid", errors)
    return Status(201 if created else 200, _visit_out(visit, created))
