"""Staff pages for plans, tasks and activities. Views parse input and call one service."""

import re
from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from loa.core.access import (
    can_act_for_unit,
    is_plan_manager,
    user_unit,
    user_ward,
    ward_required,
)
from loa.core.errors import error_text
from loa.core.models import Unit

from . import services
from .forms import (
    ActivityForm,
    PlanHeaderForm,
    PlanUploadForm,
    TaskReviewFormSet,
    UnitMappingFormSet,
    UrgeForm,
)
from .models import Activity, Plan, Task
from .selectors import (
    activity_list_for_user,
    plan_list_for_user,
    task_get_for_user,
    task_list_for_user,
    task_list_with_state,
    task_urges,
    unit_account_count,
    unit_ids_with_accounts,
)


def _require_ward(request):
    # request.ward is a SimpleLazyObject, never `is None` itself: ask for the real ward.
    return ward_required(request.user)


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


# A page of the review: what a phone or a laptop shows comfortably, and a request of a
# few hundred fields (Django refuses more than DATA_UPLOAD_MAX_NUMBER_FIELDS).
REVIEW_PAGE_SIZE = 50
# Beside a page of tasks, a long document shows only the stretch around them.
REVIEW_SOURCE_CHARS = 60_000


def _task_initial(row: dict) -> dict:
    return {
        "unit_name": row["unit"],
        "text": row["text"],
        "role": row["role"],
        "recurrence": row["recurrence"],
        "due_date": row["due"],
        "DELETE": row["deleted"],
    }


def _reviewed(data: dict) -> services.ReviewedTask:
    return services.ReviewedTask(
        unit_name=data["unit_name"],
        text=data["text"],
        role=data["role"],
        recurrence=data["recurrence"],
        due_date=data["due_date"],
    )


def _task_edits(task_formset, positions: list[int]):
    """The page's changed tasks by position (None: left out), and the added ones."""
    edits: dict[int, services.ReviewedTask | None] = {}
    added = []
    for index, form in enumerate(task_formset.forms):
        if not form.has_changed():
            continue
        deleted = form.cleaned_data.get("DELETE", False)
        if index < len(positions):
            edits[positions[index]] = None if deleted else _reviewed(form.cleaned_data)
        elif not deleted and form.cleaned_data.get("text", "").strip():
            added.append(_reviewed(form.cleaned_data))
    return edits, added


def _page_numbers(page) -> list[int | None]:
    """Page numbers for the pager: the ends and the neighbours; None marks a gap."""
    last = page.paginator.num_pages
    shown = sorted(
        {1, last, *range(page.number - 2, page.number + 3)} & set(range(1, last + 1))
    )
    numbers: list[int | None] = []
    for number in shown:
        if numbers and number - numbers[-1] > 1:
            numbers.append(None)
        numbers.append(number)
    return numbers


def _source_excerpt(text: str, start: int) -> tuple[str, bool]:
    """The document from about `start`, REVIEW_SOURCE_CHARS long, cut at line ends."""
    if len(text) <= REVIEW_SOURCE_CHARS:
        return text, False
    start = max(0, min(start, len(text) - REVIEW_SOURCE_CHARS))
    start = text.rfind("\n", 0, start) + 1
    end = text.find("\n", start + REVIEW_SOURCE_CHARS)
    end = len(text) if end == -1 else end
    before = "… " if start else ""
    after = " …" if end < len(text) else ""
    return f"{before}{text[start:end]}{after}", True


def _source_start(text: str, rows: list[dict], page) -> int:
    """Where the page's first task is in the document, or the page's share of it."""
    for row in rows[:3]:
        words = row["text"].split()[:8]
        if len(words) >= 3:
            match = re.search(r"\s+".join(map(re.escape, words)), text)
            if match:
                return max(0, match.start() - 1_000)
    return len(text) * (page.number - 1) // page.paginator.num_pages


def _error_line(where: str, label: str, message: str) -> str:
    return f"{where} – {label}: {message}" if label else f"{where}: {message}"


def _review_errors(header_form, unit_formset, task_rows) -> list[tuple[str, str]]:
    """(anchor, message) for every error on the page, for the summary at its top."""
    errors = []
    for name, messages_ in header_form.errors.items():
        label = header_form.fields[name].label if name in header_form.fields else ""
        anchor = header_form[name].id_for_label if label else "thong-tin"
        for message in messages_:
            errors.append((anchor, _error_line("Thông tin văn bản", label, message)))
    for form in unit_formset:
        name = form.initial.get("parsed_name") or form["parsed_name"].value()
        for field, messages_ in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for message in messages_:
                errors.append(
                    (
                        form[field].id_for_label if label else "don-vi",
                        _error_line(f"Đơn vị “{name}”", label, message),
                    )
                )
    for message in unit_formset.non_form_errors():
        errors.append(("don-vi", f"Đơn vị: {message}"))
    for number, form, _is_new in task_rows:
        if form.is_bound and form.cleaned_data.get("DELETE"):
            continue  # a task being left out is not checked
        for field, messages_ in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for message in messages_:
                errors.append(
                    (
                        f"nhiem-vu-{number}",
                        _error_line(f"Nhiệm vụ {number}", label, message),
                    )
                )
    return errors


def _review_saved(request, plan: Plan, page):
    """After a save: go to the page asked for, stay, or confirm (the default button)."""
    url = reverse("plans:plan_review", args=[plan.pk])
    target = request.POST.get("den_trang", "")
    if target.isdigit():
        return redirect(f"{url}?trang={target}#nhiem-vu")
    if request.POST.get("action", "confirm") != "confirm":
        messages.success(request, f"Đã lưu trang {page.number}.")
        return redirect(f"{url}?trang={page.number}")
    try:
        plan = services.plan_review_confirm(
            plan=plan,
            by=request.user,
            other_issuer_accepted=bool(request.POST.get("co_quan_khac")),
        )
    except ValidationError as exc:
        # The page is saved: show it again as saved, with the reason.
        messages.error(request, error_text(exc))
        return redirect(f"{url}?trang={page.number}")
    messages.success(
        request,
        f"Đã xác nhận {plan}: {plan.tasks.count()} nhiệm vụ được giao cho các đơn vị.",
    )
    return redirect("plans:plan_detail", pk=plan.pk)


@login_required
def plan_review(request, pk: int):
    """Review a plan a page of tasks at a time; every button saves what is on screen.

    The header and the unit mapping travel with every page; the tasks of other pages are
    read from what was saved, so confirming never posts more than one page.
    """
    _require_manager(request)
    plan = get_object_or_404(Plan, pk=pk, ward=request.ward)
    if plan.status != Plan.Status.REVIEW:
        return redirect("plans:plan_detail", pk=plan.pk)
    rows = services.plan_review_tasks(plan=plan)
    page = Paginator(range(len(rows)), REVIEW_PAGE_SIZE).get_page(
        request.GET.get("trang")
    )
    positions = list(page.object_list)
    choices = services.plan_review_units(plan=plan)
    names = [c.parsed_name for c in choices]
    names += sorted({rows[i]["unit"] for i in positions} - set(names))
    data = request.POST if request.method == "POST" else None
    header_form = PlanHeaderForm(data, instance=plan, prefix="plan")
    unit_formset = UnitMappingFormSet(
        data,
        initial=[
            {"parsed_name": c.parsed_name, "target": c.target, "new_name": c.new_name}
            for c in choices
        ],
        prefix="units",
        ward=plan.ward,
    )
    task_formset = TaskReviewFormSet(
        data,
        initial=[_task_initial(rows[i]) for i in positions],
        prefix="tasks",
        unit_names=names,
        extra=0 if page.has_next() else 1,  # a new task goes at the end
    )
    # Every form is checked, so the summary lists all that needs fixing at once.
    checked = [f.is_valid() for f in (header_form, unit_formset, task_formset)]
    if request.method == "POST" and all(checked):
        edits, added = _task_edits(task_formset, positions)
        parsed_names = {c.parsed_name for c in choices}
        units = [
            services.UnitChoice(
                parsed_name=f.cleaned_data["parsed_name"],
                target=f.cleaned_data.get("target"),
                new_name=f.cleaned_data["new_name"],
            )
            for f in unit_formset
            if f.cleaned_data.get("parsed_name") in parsed_names
        ]
        try:
            plan = services.plan_review_save(
                plan=plan,
                header=header_form.header(),
                units=units,
                tasks=edits,
                added=added,
                by=request.user,
            )
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            return _review_saved(request, plan, page)
    # (number shown, form, is the blank row for a new task)
    task_rows = [
        (positions[index] + 1, form, False)
        if index < len(positions)
        else (len(rows) + 1 + index - len(positions), form, True)
        for index, form in enumerate(task_formset.forms)
    ]
    source = plan.restored_text or plan.original_text
    start = _source_start(source, [rows[i] for i in positions], page)
    original, is_excerpt = _source_excerpt(plan.original_text, start)
    restored = ""
    if plan.restored_text and plan.restored_text != plan.original_text:
        restored, is_excerpt_restored = _source_excerpt(plan.restored_text, start)
        is_excerpt = is_excerpt or is_excerpt_restored
    errors = []
    if request.method == "POST":
        errors = _review_errors(header_form, unit_formset, task_rows)
        errors += [
            ("nhiem-vu", f"Nhiệm vụ: {m}") for m in task_formset.non_form_errors()
        ]
    deleted = sum(1 for row in rows if row["deleted"])
    return render(
        request,
        "plans/plan_review.html",
        {
            "plan": plan,
            "header_form": header_form,
            "unit_formset": unit_formset,
            "task_formset": task_formset,
            "task_rows": task_rows,
            "page": page,
            "page_numbers": _page_numbers(page),
            "total": len(rows),
            "deleted": deleted,
            "to_assign": len(rows) - deleted,
            "first_number": positions[0] + 1 if positions else 0,
            "last_number": positions[-1] + 1 if positions else 0,
            "errors": errors,
            # Past the first page the header and unit mapping fold away, unless wrong.
            "head_open": page.number == 1
            or bool(header_form.errors)
            or unit_formset.total_error_count() > 0,
            "original": original,
            "restored": restored,
            "is_excerpt": is_excerpt,
            "warnings": plan.parsed.get("warnings", []),
            "issuer_is_ward": services.plan_issuer_is_ward(plan),
            "new_units": services.plan_review_new_units(plan=plan),
        },
        status=400 if request.method == "POST" else 200,
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
            "units_with_accounts": unit_ids_with_accounts(plan.ward),
            "can_urge": is_plan_manager(request.user)
            and plan.status == Plan.Status.ACTIVE,
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
    return render(
        request,
        "plans/task_list.html",
        {
            "tasks": tasks,
            "mine": mine,
            "units_with_accounts": unit_ids_with_accounts(user_ward(request.user)),
        },
    )


def _task_or_404(request, pk: int) -> Task:
    _require_ward(request)
    task = task_get_for_user(request.user, pk)
    if task is None:
        raise Http404("Không tìm thấy nhiệm vụ.")
    return task


ACTIVITIES_PER_PAGE = 15


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
            # Newest first, a page at a time: a busy task has hundreds on a phone.
            "page": Paginator(
                task.activities.order_by("-date", "-pk"), ACTIVITIES_PER_PAGE
            ).get_page(request.GET.get("trang")),
            "can_urge": is_plan_manager(request.user)
            and not task.completed_at
            and task.plan.status == Plan.Status.ACTIVE,
            "urge_form": UrgeForm(),
            "unit_accounts": unit_account_count(task.unit),
            "urges": task_urges(task)[:20],
        },
    )


def _urge_done(request, result: services.UrgeResult, *, place: str = "") -> None:
    """The confirmation, and plain words when nobody can read the notice. `place` is the
    id of the page part the officer returns to: the confirmation is shown there too, as
    a long plan page opens at the unit, far below the messages at the top."""
    unit = result.unit.name
    what = "nhiệm vụ" if result.tasks == 1 else f"{result.tasks} nhiệm vụ"
    if result.accounts:
        messages.success(
            request,
            f"Đã đôn đốc {unit} về {what}: {result.accounts} tài khoản của đơn vị nhận "
            f"được thông báo trên Loa"
            + (f", {result.emailed} địa chỉ thư điện tử." if result.emailed else "."),
            extra_tags=place,
        )
    elif result.emailed:
        messages.warning(
            request,
            f"Đã đôn đốc {unit} về {what} qua {result.emailed} địa chỉ thư điện tử. Đơn vị "
            "chưa có tài khoản nào trên Loa nên không ai đọc được thông báo trong ứng dụng.",
            extra_tags=place,
        )
    else:
        messages.warning(
            request,
            f"Đã lưu lời đôn đốc {unit} về {what}, nhưng {NO_ACCOUNT_TEXT}",
            extra_tags=place,
        )


NO_ACCOUNT_TEXT = (
    "đơn vị này chưa có tài khoản nào trên Loa: thông báo không đến được ai. Hãy liên "
    "hệ trực tiếp (điện thoại, gặp trực tiếp) và đề nghị quản trị tạo tài khoản cho cán "
    "bộ của đơn vị."
)


def _require_urger(request) -> None:
    if not is_plan_manager(request.user):
        raise PermissionDenied(
            "Chỉ lãnh đạo UBND và Phòng Văn hóa - Xã hội được đôn đốc đơn vị."
        )


@login_required
@require_POST
def task_urge(request, pk: int):
    """ "Đôn đốc" on a task: the unit gets a notice now, with the optional message."""
    task = _task_or_404(request, pk)
    _require_urger(request)
    form = UrgeForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["message"]))
        return redirect("plans:task_detail", pk=task.pk)
    try:
        result = services.task_urge(
            task=task, by=request.user, message=form.cleaned_data["message"]
        )
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        _urge_done(request, result)
    return redirect(f"{reverse('plans:task_detail', args=[task.pk])}#don-doc")


@login_required
@require_POST
def unit_urge(request, plan_pk: int, unit_pk: int):
    """ "Đôn đốc" on a unit of a plan: one notice about all its unfinished tasks."""
    _require_ward(request)
    plan = plan_list_for_user(request.user).filter(pk=plan_pk).first()
    if plan is None:
        raise Http404("Không tìm thấy kế hoạch.")
    unit = get_object_or_404(Unit, pk=unit_pk, ward=plan.ward)
    _require_urger(request)
    form = UrgeForm(request.POST)
    url = f"{reverse('plans:plan_detail', args=[plan.pk])}#don-vi-{unit.pk}"
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["message"]))
        return redirect(url)
    try:
        result = services.unit_urge(
            plan=plan, unit=unit, by=request.user, message=form.cleaned_data["message"]
        )
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        _urge_done(request, result, place=f"don-vi-{unit.pk}")
    return redirect(url)


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
