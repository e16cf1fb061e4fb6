"""Publishing to the city's library and copying an item into one ward, with its source."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse

from loa.core import roles
from loa.core.access import is_plan_manager, user_city, user_roles, user_ward
from loa.core.models import AuditLog, Ward
from loa.core.services import audit_record
from loa.plans.models import Task
from loa.plans.services import plan_draft_create
from loa.vn import fold_lower, nfc

from .models import LibraryCopy, LibraryItem

EDITING_ROLES = {roles.LEADER, roles.CULTURE_STAFF, roles.EDITOR}
_ROLES = {"chu tri": Task.Role.LEAD, "phoi hop": Task.Role.SUPPORT}
_RECURRENCES = {fold_lower(label): value for value, label in Task.Recurrence.choices}


def library_city(user) -> str:
    """The city whose library the user reads: their own, or their ward's."""
    city = user_city(user)
    if city:
        return city
    ward = user_ward(user)
    return ward.province if ward else ""


def library_for_user(user) -> QuerySet[LibraryItem]:
    city = library_city(user)
    if not city:
        return LibraryItem.objects.none()
    return LibraryItem.objects.filter(city=city)


def item_create(
    *, by, kind: str, title: str, summary: str, body: str, source: str
) -> LibraryItem:
    city = user_city(by)
    if not city:
        raise PermissionDenied(
            "Chỉ cán bộ thành phố đăng tài liệu vào thư viện dùng chung."
        )
    item = LibraryItem(
        city=city,
        kind=kind,
        title=nfc(title).strip(),
        summary=nfc(summary).strip(),
        body=nfc(body).strip(),
        source=nfc(source).strip(),
        created_by=by,
    )
    item.full_clean()
    if kind == LibraryItem.Kind.PLAN_TEMPLATE:
        template_units(item.body)  # refuse a template that would give no task
    item.save()
    audit_record(action=AuditLog.Action.CREATE, obj=item, actor=by, ward=None)
    return item


def template_units(body: str) -> list[dict]:
    """Lines "Đơn vị | nhiệm vụ [| chủ trì/phối hợp] [| hằng tuần…]" → the parse shape the
    plan review screen reads."""
    units: dict[str, list[dict]] = {}
    for number, line in enumerate(body.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split("|")]
        if len(parts) < 2 or not parts[0] or not parts[1]:
            raise ValidationError(
                f"Dòng {number} của mẫu kế hoạch phải có dạng “Đơn vị | nhiệm vụ”."
            )
        extra = [fold_lower(p) for p in parts[2:]]
        units.setdefault(parts[0], []).append(
            {
                "text": parts[1],
                "role": next((_ROLES[e] for e in extra if e in _ROLES), ""),
                "recurrence": next(
                    (_RECURRENCES[e] for e in extra if e in _RECURRENCES), ""
                ),
                "due": None,
            }
        )
    if not units:
        raise ValidationError("Mẫu kế hoạch chưa có nhiệm vụ nào.")
    return [{"name": name, "tasks": tasks} for name, tasks in units.items()]


def _check_copy_rights(item: LibraryItem, user, ward: Ward) -> None:
    if user_ward(user) != ward or ward.province != item.city:
        raise PermissionDenied(
            "Chỉ cán bộ của phường thuộc thành phố này sao chép được."
        )
    if item.kind == LibraryItem.Kind.PLAN_TEMPLATE:
        allowed = is_plan_manager(user)
    else:
        allowed = user.is_superuser or bool(user_roles(user) & EDITING_ROLES)
    if not allowed:
        raise PermissionDenied(
            "Bạn không có quyền sao chép loại tài liệu này về phường."
        )


@transaction.atomic
def item_copy(item: LibraryItem, *, ward: Ward, by) -> LibraryCopy:
    """Copy an item into the ward as a draft that still needs the ward's own approval."""
    _check_copy_rights(item, by, ward)
    maker = {
        LibraryItem.Kind.PLAN_TEMPLATE: _copy_plan_template,
        LibraryItem.Kind.ARTICLE: _copy_article,
        LibraryItem.Kind.RADIO: _copy_radio,
    }[item.kind]
    label, url = maker(item, ward, by)
    copy = LibraryCopy.objects.create(
        item=item, ward=ward, target_label=label[:300], target_url=url, copied_by=by
    )
    audit_record(
        action=AuditLog.Action.CREATE,
        obj=copy,
        actor=by,
        ward=ward,
        object_repr=f"Sao chép “{item.title}” từ thư viện thành phố: {label}",
    )
    return copy


def _copy_plan_template(item: LibraryItem, ward: Ward, by) -> tuple[str, str]:
    text = f"{item.title}\n\n{item.body}\n\n{item.attribution}"
    plan = plan_draft_create(
        ward=ward,
        title=item.title,
        units=template_units(item.body),
        text=text,
        source_filename=f"mau-thu-vien-{item.pk}.txt",
        method="thu_vien",
        warning=(
            f"Tạo từ mẫu “{item.title}” của thư viện dùng chung ({item.source}). "
            "Điền số, ngày ban hành, người ký và gán đơn vị trước khi xác nhận."
        ),
        by=by,
    )
    return f"{plan} (chờ rà soát)", reverse("plans:plan_review", args=[plan.pk])


def _copy_article(item: LibraryItem, ward: Ward, by) -> tuple[str, str]:
    from loa.content.services import article_draft_create

    paragraphs = [p.strip() for p in item.body.splitlines() if p.strip()]
    paragraphs.append(item.attribution)
    page = article_draft_create(
        ward=ward,
        title=item.title,
        sapo=item.summary or paragraphs[0],
        paragraphs=paragraphs,
        by=by,
    )
    return f"Bài viết nháp “{page.title}”", reverse(
        "wagtailadmin_pages:edit", args=[page.pk]
    )


def _copy_radio(item: LibraryItem, ward: Ward, by) -> tuple[str, str]:
    from loa.channels.services.radio import segment_from_script

    segment = segment_from_script(
        ward=ward,
        title=f"{item.title} (thư viện thành phố)",
        script=f"{item.body.strip()}\n\n{item.attribution}\n",
        folder="thu-vien",
        name=str(item.pk),
    )
    return f"Chuyên mục phát thanh chờ duyệt “{segment.title}”", ""
