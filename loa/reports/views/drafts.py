"""Periodic reports: drafts, their words, units' parts, commendations, export."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from loa.core.access import can_act_for_unit
from loa.core.errors import error_text
from loa.core.models import Unit

from .. import services
from ..document import report_document
from ..forms import CommendationForm, DraftForm, NarrativeForm, NewDraftForm
from ..models import Commendation, ReportDraft
from ..selectors import draft_get_for_user, plans_for_scope, reader_scope


@login_required
def draft_list(request):
    scope = reader_scope(request.user)
    if scope.is_city:
        if request.method == "POST":
            raise PermissionDenied("Cán bộ thành phố không lập báo cáo của phường.")
        # Drafts are the wards' own work; the city reads what the wards sent.
        return redirect("reports:city_reports")
    plans = plans_for_scope(scope)
    form = NewDraftForm(request.POST or None, plans=plans)
    if request.method == "POST":
        if not scope.is_manager:
            raise PermissionDenied(
                "Chỉ lãnh đạo và Phòng Văn hóa - Xã hội lập báo cáo."
            )
        if form.is_valid():
            data = form.cleaned_data
            try:
                draft = services.draft_get_or_create(
                    data["plan"], data["start"], data["end"], by=request.user
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                return redirect("reports:draft_detail", pk=draft.pk)
    drafts = ReportDraft.objects.filter(ward__in=scope.wards).select_related(
        "plan", "ward", "submitted_by"
    )
    return render(
        request,
        "reports/draft_list.html",
        {"drafts": drafts, "form": form if scope.is_manager else None, "scope": scope},
    )


@login_required
def draft_detail(request, pk: int):
    draft = draft_get_for_user(request.user, pk)
    if draft is None:
        raise Http404
    scope = reader_scope(request.user)
    # A submitted report is frozen: no forms until a manager withdraws it.
    editable = not draft.is_submitted
    can_manage = scope.is_manager and editable
    units = Unit.objects.filter(ward=draft.ward)
    writable_units = (
        [u for u in units if can_act_for_unit(request.user, u)] if editable else []
    )
    draft_form = DraftForm(instance=draft) if can_manage else None
    narratives = {n.unit_id: n for n in draft.narratives.all()}
    narrative_forms = [
        (
            unit,
            NarrativeForm(
                initial={
                    "unit": unit.pk,
                    "text": narratives[unit.pk].text if unit.pk in narratives else "",
                },
                units=units,
            ),
        )
        for unit in writable_units
    ]
    return render(
        request,
        "reports/draft_detail.html",
        {
            "draft": draft,
            "doc": report_document(draft),
            "draft_form": draft_form,
            "narrative_forms": narrative_forms,
            "commendation_form": CommendationForm(ward=draft.ward)
            if can_manage
            else None,
            "commendations": draft.commendations.select_related("unit"),
            "can_manage": can_manage,
            "can_submit": can_manage,
            "can_withdraw": scope.is_manager and draft.is_submitted,
            "missing_for_submit": [
                label
                for name, label in services.SUBMIT_REQUIRED.items()
                if not getattr(draft, name)
            ],
        },
    )


@login_required
@require_POST
def draft_submit(request, pk: int):
    """ "Gửi báo cáo": the city reads it from now on and its words are frozen."""
    draft = _draft_for_change(request, pk)
    try:
        services.draft_submit(draft, by=request.user)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(
            request,
            f"Đã gửi báo cáo lên {draft.ward.province or 'thành phố'}. "
            "Báo cáo không sửa được nữa; muốn sửa, hãy rút lại.",
        )
    return redirect("reports:draft_detail", pk=draft.pk)


@login_required
@require_POST
def draft_withdraw(request, pk: int):
    draft = _draft_for_change(request, pk)
    try:
        services.draft_withdraw(draft, by=request.user)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(
            request,
            "Đã rút lại báo cáo: thành phố không còn thấy báo cáo này cho đến khi "
            "gửi lại.",
        )
    return redirect("reports:draft_detail", pk=draft.pk)


def _draft_for_change(request, pk: int) -> ReportDraft:
    draft = draft_get_for_user(request.user, pk)
    if draft is None:
        raise Http404
    return draft


@login_required
@require_POST
def draft_update(request, pk: int):
    draft = _draft_for_change(request, pk)
    form = DraftForm(request.POST, instance=ReportDraft.objects.get(pk=draft.pk))
    if form.is_valid():
        try:
            services.draft_update(
                draft, by=request.user, **{k: form.cleaned_data[k] for k in form.fields}
            )
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, "Đã lưu phần lời của báo cáo.")
    else:
        messages.error(
            request,
            "Chưa lưu được: "
            + "; ".join(e for errs in form.errors.values() for e in errs),
        )
    return redirect("reports:draft_detail", pk=draft.pk)


@login_required
@require_POST
def narrative_update(request, pk: int):
    draft = _draft_for_change(request, pk)
    form = NarrativeForm(request.POST, units=Unit.objects.filter(ward=draft.ward))
    if form.is_valid():
        try:
            services.narrative_set(
                draft,
                unit=form.cleaned_data["unit"],
                text=form.cleaned_data["text"],
                by=request.user,
            )
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(
                request, f"Đã lưu phần viết của {form.cleaned_data['unit'].name}."
            )
    else:
        messages.error(request, "Chưa lưu được phần viết: nội dung không hợp lệ.")
    return redirect("reports:draft_detail", pk=draft.pk)


@login_required
@require_POST
def commendation_add(request, pk: int):
    draft = _draft_for_change(request, pk)
    form = CommendationForm(request.POST, ward=draft.ward)
    if form.is_valid():
        try:
            services.commendation_add(draft, by=request.user, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, "Đã thêm vào danh sách biểu dương.")
    else:
        messages.error(request, "Chưa thêm được: cần loại, tên và thành tích.")
    return redirect("reports:draft_detail", pk=draft.pk)


@login_required
@require_POST
def commendation_remove(request, pk: int, item: int):
    draft = _draft_for_change(request, pk)
    commendation = get_object_or_404(Commendation, pk=item, draft=draft)
    try:
        services.commendation_remove(commendation, by=request.user)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, error_text(exc))
    return redirect("reports:draft_detail", pk=draft.pk)


@login_required
def draft_export(request, pk: int, fmt: str):
    draft = draft_get_for_user(request.user, pk)
    if draft is None:
        raise Http404
    try:
        report = services.report_export(draft, fmt)
    except ValidationError as exc:
        raise Http404(error_text(exc)) from exc
    response = HttpResponse(report.content, content_type=report.content_type)
    response["Content-Disposition"] = f'attachment; filename="{report.filename}"'
    return response
