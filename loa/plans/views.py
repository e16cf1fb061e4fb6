"""Staff pages for plans, tasks and activities. Views parse input and call one service."""

from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from loa.core.access import can_act_for_unit, is_plan_manager, user_unit, user_ward
from loa.core.errors import error_text
from loa.core.models import Unit

from . import services
from .forms import (
    ActivityForm,
    PlanHeaderForm,
    PlanUploadForm,
    TaskReviewFormSet,
    UnitMappingFormSet,
)
from .models import Activity, Plan, Task
from .selectors import (
    activity_list_for_user,
    plan_list_for_user,
    task_get_for_user,
    task_list_for_user,
    task_list_with_state,
)


def _require_ward(request):
    # request.ward is a SimpleLazyObject, never `is None` itself: ask for the real ward.
    ward = user_ward(request.user)
    if ward is None:
        raise PermissionDenied("Tài khoản chưa được gán vào phường nào.")
    return ward


def _require_manager(request):
    _require_ward(request)
    if not is_plan_manager(request.user):
        raise PermissionDenied(
            "Chỉ lãnh đạo UBND và Phòng Văn hóa - Xã hội được làm việc này."
        )


@login_required
def plan_list(request):
    _require_ward(request)
    plans = plan_list_for_user(request.user)
    today = timezone.localdate()
    my_tasks = []
    if user_unit(request.user):
        my_tasks = task_list_with_state(
            task_list_for_user(request.user, mine=True), today=today
        )
    return render(
        request,
        "plans/plan_list.html",
        {
            "plans": plans,
            "my_tasks": my_tasks,
            "upload_form": PlanUploadForm(),
        },
    )


@login_required
def plan_upload(request):
    _require_manager(request)
    form = PlanUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            plan = services.plan_upload(
                ward=request.ward,
                data=upload.read(),
                filename=upload.name,
                by=request.user,
            )
        except ValidationError as exc:
            form.add_error("file", error_text(exc))
        else:
            messages.success(
                request,
                "Đã đọc văn bản. Vui lòng rà soát đơn vị và nhiệm vụ trước khi xác nhận.",
            )
            return redirect("plans:plan_review", pk=plan.pk)
    return render(
        request,
        "plans/plan_upload.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


def _review_initial(plan: Plan) -> tuple[list[str], list[dict], list[dict]]:
    parsed_units = plan.parsed.get("units", [])
    names = [u["name"] for u in parsed_units]
    ward_units = {u.name.casefold(): u for u in Unit.objects.filter(ward=plan.ward)}
    unit_initial = [
        {"parsed_name": n, "target": ward_units.get(n.casefold()), "new_name": n}
        for n in names
    ]
    task_initial = [
        {
            "unit_name": u["name"],
            "text": t["text"],
            "role": t.get("role") or "",
            "recurrence": t.get("recurrence") or "",
            "due_date": t.get("due"),
        }
        for u in parsed_units
        for t in u.get("tasks", [])
    ]
    return names, unit_initial, task_initial


@login_required
def plan_review(request, pk: int):
    _require_manager(request)
    plan = get_object_or_404(Plan, pk=pk, ward=request.ward)
    if plan.status != Plan.Status.REVIEW:
        return redirect("plans:plan_detail", pk=plan.pk)
    names, unit_initial, task_initial = _review_initial(plan)
    data = request.POST if request.method == "POST" else None
    header_form = PlanHeaderForm(data, instance=plan, prefix="plan")
    unit_formset = UnitMappingFormSet(
        data, initial=unit_initial, prefix="units", ward=plan.ward
    )
    task_formset = TaskReviewFormSet(
        data, initial=task_initial, prefix="tasks", unit_names=names
    )
    if (
        request.method == "POST"
        and header_form.is_valid()
        and unit_formset.is_valid()
        and task_formset.is_valid()
    ):
        unit_map, renamed = {}, {}
        for form in unit_formset:
            parsed_name = form.cleaned_data["parsed_name"]
            target = form.cleaned_data.get("target")
            name = target.name if target else form.cleaned_data["new_name"].strip()
            renamed[parsed_name] = name
            unit_map[name] = target
        tasks = [
            services.ReviewedTask(
                unit_name=renamed.get(
                    f.cleaned_data["unit_name"], f.cleaned_data["unit_name"]
                ),
                text=f.cleaned_data["text"],
                role=f.cleaned_data["role"],
                recurrence=f.cleaned_data["recurrence"],
                due_date=f.cleaned_data["due_date"],
            )
            for f in task_formset
            if f.cleaned_data
            and not f.cleaned_data.get("DELETE")
            and f.cleaned_data.get("text")
        ]
        try:
            plan = services.plan_confirm(
                plan=plan,
                header=header_form.header(),
                unit_map=unit_map,
                tasks=tasks,
                by=request.user,
            )
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(
                request,
                f"Đã xác nhận {plan}: {len(tasks)} nhiệm vụ được giao cho các đơn vị.",
            )
            return redirect("plans:plan_detail", pk=plan.pk)
    return render(
        request,
        "plans/plan_review.html",
        {
            "plan": plan,
            "header_form": header_form,
            "unit_formset": unit_formset,
            "task_formset": task_formset,
            "warnings": plan.parsed.get("warnings", []),
        },
    )


@login_required
@require_POST
def plan_discard(request, pk: int):
    _require_manager(request)
    plan = get_object_or_404(Plan, pk=pk, ward=request.ward)
    try:
        services.plan_discard(plan=plan, by=request.user)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return redirect("plans:plan_detail", pk=plan.pk)
    messages.success(request, "Đã hủy bản nhập.")
    return redirect("plans:plan_list")


@login_required
def plan_detail(request, pk: int):
    _require_ward(request)
    plan = plan_list_for_user(request.user).filter(pk=pk).first()
    if plan is None:
        raise Http404("Không tìm thấy kế hoạch.")
    if plan.status == Plan.Status.REVIEW:
        return redirect("plans:plan_review", pk=plan.pk)
    all_tasks = task_list_with_state(
        task_list_for_user(request.user, plan=plan), today=timezone.localdate()
    )
    counts: dict[str, int] = {}
    for task in all_tasks:
        counts[task.state.label] = counts.get(task.state.label, 0) + 1
    status_filter = request.GET.get("trang_thai", "")
    tasks = (
        [t for t in all_tasks if t.state.status == status_filter]
        if status_filter
        else all_tasks
    )
    tasks.sort(key=lambda t: (t.unit.name, t.order))
    groups = [
        (unit, list(items)) for unit, items in groupby(tasks, key=lambda t: t.unit)
    ]
    template = "plans/_task_groups.html" if request.htmx else "plans/plan_detail.html"
    return render(
        request,
        template,
        {
            "plan": plan,
            "groups": groups,
            "counts": counts,
            "status_filter": status_filter,
            "statuses": Task.Status.choices,
        },
    )


@login_required
def task_list(request):
    _require_ward(request)
    mine = request.GET.get("don_vi") != "tat_ca" or not is_plan_manager(request.user)
    if not user_unit(request.user):
        mine = False
    tasks = task_list_with_state(
        task_list_for_user(request.user, mine=mine), today=timezone.localdate()
    )
    return render(request, "plans/task_list.html", {"tasks": tasks, "mine": mine})


def _task_or_404(request, pk: int) -> Task:
    _require_ward(request)
    task = task_get_for_user(request.user, pk)
    if task is None:
        raise Http404("Không tìm thấy nhiệm vụ.")
    return task


@login_required
def task_detail(request, pk: int):
    task = _task_or_404(request, pk)
    state = task_list_with_state([task], today=timezone.localdate())[0].state
    return render(
        request,
        "plans/task_detail.html",
        {
            "task": task,
            "state": state,
            "can_act": can_act_for_unit(request.user, task.unit),
            "activities": task.activities.all(),
        },
    )


@login_required
@require_POST
def task_complete(request, pk: int):
    task = _task_or_404(request, pk)
    if not can_act_for_unit(request.user, task.unit):
        raise PermissionDenied("Bạn chỉ được cập nhật nhiệm vụ của đơn vị mình.")
    try:
        if request.POST.get("action") == "reopen":
            services.task_reopen(task=task, by=request.user)
        else:
            services.task_complete(task=task, by=request.user)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    return redirect("plans:task_detail", pk=task.pk)


@login_required
def activity_create(request, task_pk: int):
    task = _task_or_404(request, task_pk)
    if not can_act_for_unit(request.user, task.unit):
        raise PermissionDenied(
            "Bạn chỉ được ghi hoạt động cho nhiệm vụ của đơn vị mình."
        )
    units = None
    if is_plan_manager(request.user):
        units = Unit.objects.filter(ward=request.ward, is_active=True)
    form = ActivityForm(
        request.POST or None,
        request.FILES or None,
        units=units,
        initial={"date": timezone.localdate(), "unit": task.unit},
    )
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "unit"}
        unit = form.cleaned_data.get("unit") or user_unit(request.user) or task.unit
        try:
            services.activity_record(task=task, unit=unit, by=request.user, **data)
        except ValidationError as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(request, "Đã ghi nhận hoạt động.")
            return redirect("plans:task_detail", pk=task.pk)
    return render(
        request,
        "plans/activity_form.html",
        {"task": task, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def activity_delete(request, pk: int):
    _require_ward(request)
    activity = get_object_or_404(activity_list_for_user(request.user), pk=pk)
    if not can_act_for_unit(request.user, activity.unit):
        raise PermissionDenied("Bạn chỉ được xóa hoạt động của đơn vị mình.")
    task_pk = activity.task_id
    services.activity_delete(activity=activity, by=request.user)
    messages.success(request, "Đã xóa hoạt động.")
    return redirect("plans:task_detail", pk=task_pk)


@login_required
def activity_evidence(request, pk: int):
    """Serve evidence only to staff of the activity's ward (media is not public)."""
    from django.http import FileResponse

    activity: Activity = get_object_or_404(activity_list_for_user(request.user), pk=pk)
    if not activity.evidence_file:
        raise Http404("Hoạt động không có tệp minh chứng.")
    return FileResponse(
        activity.evidence_file.open("rb"),
        as_attachment=False,
        filename=activity.evidence_file.name.rsplit("/", 1)[-1],
    )


@login_required
def plan_source(request, pk: int):
    from django.http import FileResponse

    plan = get_object_or_404(plan_list_for_user(request.user), pk=pk)
    if not plan.source_file:
        raise Http404("Không có tệp gốc.")
    return FileResponse(
        plan.source_file.open("rb"),
        as_attachment=True,
        filename=plan.source_filename or None,
    )
