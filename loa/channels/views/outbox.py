"""Staff pages of the outbox: choose channels, see deliveries, post by hand."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from wagtail.models import Page

from loa.core.access import can_manage_ward_posts, ward_required

from .. import selectors
from ..adapters import adapter_for
from ..forms import ChannelChoiceForm, PostedForm, VariantForm
from ..services import outbox


def _require_staff(request):
    ward_required(request.user)


def _page_for_ward(request, page_id: int):
    """A page of the staff member's own ward's portal; another ward's is not found."""
    page = get_object_or_404(Page, pk=page_id).specific
    if outbox.page_ward(page) != request.ward:
        raise Http404
    return page


def _errors(exc: ValidationError) -> str:
    return " ".join(exc.messages)


@login_required
def channel_choose(request, page_id: int):
    _require_staff(request)
    page = _page_for_ward(request, page_id)
    choice = selectors.channel_choice_for_page(page)
    initial = (
        {"channels": choice.channels, "residential_group": choice.residential_group}
        if choice
        else {}
    )
    form = ChannelChoiceForm(request.POST or None, initial=initial, ward=request.ward)
    if request.method == "POST" and not can_manage_ward_posts(
        request.user, request.ward
    ):
        raise PermissionDenied(
            "Chỉ biên tập viên, người duyệt và lãnh đạo chọn kênh đăng."
        )
    if request.method == "POST" and form.is_valid():
        outbox.channel_choice_set(
            page=page,
            channels=form.cleaned_data["channels"],
            residential_group=form.cleaned_data["residential_group"],
            by=request.user,
        )
        messages.success(
            request, "Đã lưu kênh đăng. Tin sẽ được gửi khi bài được xuất bản."
        )
        return redirect("loa_channels:choose", page_id=page.pk)
    deliveries = selectors.delivery_list_for_page(page)[:20]
    return render(
        request,
        "channels/delivery_choose.html",
        {"page": page, "form": form, "deliveries": deliveries},
    )


@login_required
def delivery_list(request):
    _require_staff(request)
    deliveries = selectors.delivery_list_for_ward(request.ward)[:200]
    return render(request, "channels/delivery_list.html", {"deliveries": deliveries})


@login_required
def delivery_detail(request, pk: int):
    _require_staff(request)
    delivery = get_object_or_404(selectors.delivery_list_for_ward(request.ward), pk=pk)
    variant_form = VariantForm(
        initial={"title": delivery.title, "variant": delivery.variant}
    )
    posted_form = PostedForm()
    can_manage = can_manage_ward_posts(request.user, delivery.ward)
    if request.method == "POST" and not can_manage:
        raise PermissionDenied(
            "Chỉ biên tập viên, người duyệt và lãnh đạo phường sửa tin đăng."
        )
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "variant":
                variant_form = VariantForm(request.POST)
                if variant_form.is_valid():
                    outbox.delivery_variant_update(
                        delivery=delivery, by=request.user, **variant_form.cleaned_data
                    )
                    messages.success(request, "Đã lưu nội dung đăng.")
                    return redirect("loa_channels:delivery_detail", pk=pk)
            elif action == "posted":
                posted_form = PostedForm(request.POST)
                if posted_form.is_valid():
                    outbox.delivery_mark_posted(
                        delivery=delivery, by=request.user, **posted_form.cleaned_data
                    )
                    messages.success(
                        request,
                        "Đã ghi nhận bài đăng và cập nhật hoạt động của nhiệm vụ.",
                    )
                    return redirect("loa_channels:delivery_detail", pk=pk)
            elif action == "retry":
                outbox.delivery_retry(delivery=delivery, by=request.user)
                messages.success(request, "Đã đưa tin vào hàng đợi gửi lại.")
                return redirect("loa_channels:delivery_detail", pk=pk)
        except ValidationError as exc:
            messages.error(request, _errors(exc))
    return render(
        request,
        "channels/delivery_detail.html",
        {
            "delivery": delivery,
            "adapter": adapter_for(delivery.channel),
            "package": outbox.package(delivery),
            "attempts": delivery.attempt_log.all(),
            "variant_form": variant_form,
            "posted_form": posted_form,
            "can_manage": can_manage,
        },
    )
