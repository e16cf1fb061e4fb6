"""The city's shared library: city staff publish, ward staff copy with attribution."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from loa.core.access import user_city, user_ward
from loa.core.errors import error_text

from . import services
from .forms import LibraryItemForm
from .models import LibraryCopy


@login_required
def item_list(request):
    city = services.library_city(request.user)
    if not city:
        raise PermissionDenied("Tài khoản chưa thuộc phường hay thành phố nào.")
    items = services.library_for_user(request.user).annotate(copy_count=Count("copies"))
    kind = request.GET.get("loai", "")
    if kind:
        items = items.filter(kind=kind)
    is_city = bool(user_city(request.user))
    form = LibraryItemForm(request.POST or None) if is_city else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied("Chỉ cán bộ thành phố đăng tài liệu vào thư viện.")
        if form.is_valid():
            try:
                item = services.item_create(by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request, f"Đã đăng “{item.title}” vào thư viện dùng chung."
                )
                return redirect("library:item_detail", pk=item.pk)
    return render(
        request,
        "library/item_list.html",
        {
            "items": items,
            "city": city,
            "form": form,
            "kind": kind,
            "kinds": items.model.Kind.choices,
        },
    )


@login_required
def item_detail(request, pk: int):
    item = get_object_or_404(services.library_for_user(request.user), pk=pk)
    ward = user_ward(request.user)
    copies = LibraryCopy.objects.filter(item=item).select_related("ward", "copied_by")
    if ward is not None:
        copies = copies.filter(ward=ward)  # a ward sees only its own copies
    return render(
        request,
        "library/item_detail.html",
        {
            "item": item,
            "copies": copies,
            "ward": ward,
            "is_city": bool(user_city(request.user)),
        },
    )


@login_required
@require_POST
def item_copy(request, pk: int):
    item = get_object_or_404(services.library_for_user(request.user), pk=pk)
    ward = user_ward(request.user)
    if ward is None:
        raise PermissionDenied("Cán bộ thành phố không sao chép về phường.")
    try:
        copy = services.item_copy(item, ward=ward, by=request.user)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return redirect("library:item_detail", pk=item.pk)
    messages.success(
        request,
        f"Đã sao chép về phường: {copy.target_label}. Nội dung vẫn cần phường duyệt trước khi công bố.",
    )
    # An article opens in Wagtail's editor of the copy, for whoever may open the editor
    # (anyone else would land on a login page; they stay here with the message).
    if copy.target_url and (
        not copy.target_url.startswith("/cms/")
        or request.user.has_perm("wagtailadmin.access_admin")
    ):
        return redirect(copy.target_url)
    return redirect("library:item_detail", pk=item.pk)
