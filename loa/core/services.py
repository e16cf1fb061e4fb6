"""Writes of the core app: audit log, notifications, role groups, ward history."""

from datetime import date
from urllib.parse import urlsplit

from django.apps import apps
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from . import roles
from .models import AuditLog, Notification, Unit, Ward, WardFormerName


def audit_record(
    *,
    action: str,
    obj: models.Model | None = None,
    actor=None,
    ward: Ward | None = None,
    object_repr: str = "",
    changes: dict | None = None,
) -> AuditLog:
    """Append one row to the audit log."""
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    if ward is None and obj is not None:
        ward = obj if isinstance(obj, Ward) else getattr(obj, "ward", None)
    return AuditLog.objects.create(
        ward=ward,
        actor=actor,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
        object_repr=(object_repr or str(obj))[:300],
        changes=changes or {},
    )


def notification_send(
    *,
    ward: Ward,
    unit: Unit | None,
    title: str,
    body: str = "",
    url: str = "",
    dedupe_key: str | None = None,
    recipient=None,
) -> Notification | None:
    """Store an in-app notification; return None when one with the same key was already sent.

    With a `recipient`, only that person sees it (whatever `unit` says)."""
    if dedupe_key and Notification.objects.filter(dedupe_key=dedupe_key).exists():
        return None
    try:
        with transaction.atomic():
            return Notification.objects.create(
                ward=ward,
                unit=unit,
                title=title[:300],
                body=body,
                url=url,
                dedupe_key=dedupe_key,
                recipient=recipient,
            )
    except IntegrityError:  # a concurrent run sent it first
        return None


def notification_mark_read(*, notification: Notification) -> Notification:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def roles_ensure() -> list[Group]:
    """Create the role groups if missing."""
    return [Group.objects.get_or_create(name=name)[0] for name in roles.ALL_ROLES]


@transaction.atomic
def ward_rename(*, ward: Ward, new_name: str, on: date, actor=None) -> Ward:
    """Rename a ward, keeping the old name in its history; its records do not move."""
    new_name = new_name.strip()
    if not new_name:
        raise ValidationError("Tên mới không được để trống.", code="empty_name")
    old = ward.name
    WardFormerName.objects.create(
        ward=ward, name=old, kind=ward.kind, valid_until=on, note="Đổi tên"
    )
    ward.name = new_name
    ward.full_clean()
    ward.save()
    audit_record(
        action=AuditLog.Action.RENAME,
        obj=ward,
        actor=actor,
        changes={"name": [old, new_name]},
    )
    return ward


def _ward_scoped_fields() -> list[tuple[type[models.Model], str]]:
    """Every foreign key named `ward` that points at Ward: the records that belong to a ward."""
    found = []
    for model in apps.get_models():
        if model in (Ward, WardFormerName, AuditLog):
            continue
        for field in model._meta.get_fields():
            if (
                isinstance(field, models.ForeignKey)
                and field.related_model is Ward
                and field.name == "ward"
            ):
                found.append((model, field.name))
    return found


@transaction.atomic
def ward_merge(
    *,
    sources: list[Ward],
    name: str,
    slug: str,
    kind: str = Ward.Kind.WARD,
    province: str = "",
    on: date,
    actor=None,
) -> Ward:
    """Form a new ward from several (the 1/7/2025 reorganisation); their records move with them."""
    if len(sources) < 1:
        raise ValidationError(
            "Cần ít nhất một phường/xã để sáp nhập.", code="no_sources"
        )
    new_ward = Ward(
        name=name, slug=slug, kind=kind, province=province, established_date=on
    )
    new_ward.full_clean()
    new_ward.save()
    new_ward.formed_from.set(sources)
    source_ids = [w.pk for w in sources]
    for model, field in _ward_scoped_fields():
        if model is Unit:
            _merge_units(source_ids, new_ward)
            continue
        model._default_manager.filter(**{f"{field}__in": source_ids}).update(
            **{field: new_ward}
        )
    for ward in sources:
        WardFormerName.objects.create(
            ward=new_ward,
            name=ward.name,
            kind=ward.kind,
            valid_until=on,
            note="Sáp nhập",
        )
    Ward.objects.filter(pk__in=source_ids).update(merged_into=new_ward, is_active=False)
    audit_record(
        action=AuditLog.Action.MERGE,
        obj=new_ward,
        actor=actor,
        changes={"formed_from": [w.name for w in sources]},
    )
    return new_ward


def _merge_units(source_ids: list[int], new_ward: Ward) -> None:
    """Move units; two former wards' units with the same name keep distinct names."""
    for unit in Unit.objects.filter(ward_id__in=source_ids).select_related("ward"):
        name = unit.name
        if Unit.objects.filter(ward=new_ward, name=name).exists():
            name = f"{unit.name} ({unit.ward.get_kind_display().lower()} {unit.ward.name} cũ)"
        Unit.objects.filter(pk=unit.pk).update(ward=new_ward, name=name)


def unit_get_or_create(
    *, ward: Ward, name: str, kind: str = Unit.Kind.OTHER, actor=None
) -> Unit:
    """Find the ward's unit by name (ignoring case and spacing) or create it."""
    clean = " ".join(name.split())
    for unit in Unit.objects.filter(ward=ward):
        if unit.name.casefold() == clean.casefold():
            return unit
    unit = Unit(ward=ward, name=clean, kind=kind)
    unit.full_clean()
    unit.save()
    audit_record(action=AuditLog.Action.CREATE, obj=unit, actor=actor)
    return unit


LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "::1", "[::1]", "0.0.0.0")  # noqa: S104


def is_loopback_address(address: str) -> bool:
    """True for an address only this machine reaches (127.0.0.1, localhost, *.localhost)."""
    host = (urlsplit(address).hostname or "").lower()
    return (
        host in LOOPBACK_HOSTS or host.endswith(".localhost") or host.startswith("127.")
    )


def public_address_clean(address: str) -> str:
    """Normalise a ward's public address to "scheme://host[:port]"; raise ValidationError."""
    address = address.strip().rstrip("/")
    parts = urlsplit(address)
    try:
        port = parts.port
    except ValueError:
        port = -1
    if (
        parts.scheme not in ("http", "https")
        or not parts.hostname
        or port == -1
        or parts.path
        or parts.query
        or parts.fragment
        or parts.username
    ):
        raise ValidationError(
            "Địa chỉ phải có dạng https://ten-mien.gov.vn (không có đường dẫn phía sau).",
            code="bad_address",
        )
    return f"{parts.scheme}://{parts.netloc.lower()}"


@transaction.atomic
def ward_address_set(*, ward: Ward, address: str, actor=None) -> Ward:
    """Set the ward's public address and route its host name to the ward's portal."""
    from wagtail.models import Site

    address = public_address_clean(address)
    parts = urlsplit(address)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    ward.refresh_from_db(fields=["site", "public_address"])
    old = ward.public_address
    site = ward.site
    if site is not None:
        taken = (
            Site.objects.filter(hostname=parts.hostname, port=port)
            .exclude(pk=site.pk)
            .exists()
        )
        if taken:
            raise ValidationError(
                "Địa chỉ %(address)s đã là cổng thông tin của nơi khác.",
                code="address_taken",
                params={"address": address},
            )
        site.hostname, site.port = parts.hostname, port
        site.site_name = ward.display_name
        site.save()
    ward.public_address = address
    ward.full_clean()
    ward.save(update_fields=["public_address"])
    if old != address:
        audit_record(
            action=AuditLog.Action.UPDATE,
            obj=ward,
            actor=actor,
            changes={"public_address": [old, address]},
        )
    return ward


PORTAL_PROFILE_FIELDS = (
    "governing_body",
    "office_address",
    "phone",
    "responsible_person",
    "contact_line",
)


@transaction.atomic
def ward_profile_update(*, ward: Ward, actor=None, **fields) -> Ward:
    """Change what the ward's portal shows about it (footer, assistant's contact line)."""
    changes = {}
    for name, value in fields.items():
        if name not in PORTAL_PROFILE_FIELDS:
            raise ValueError(name)
        value = value.strip()
        if getattr(ward, name) != value:
            changes[name] = [getattr(ward, name), value]
            setattr(ward, name, value)
    if changes:
        ward.full_clean()
        ward.save()
        audit_record(
            action=AuditLog.Action.UPDATE, obj=ward, actor=actor, changes=changes
        )
    return ward
