"""Who may see and change what: every ward query goes through these."""

from django.contrib.auth.models import AnonymousUser
from django.core.cache import caches
from django.core.exceptions import PermissionDenied

from . import roles
from .models import Membership, Unit, Ward


def _membership(user) -> Membership | None:
    """The user's membership with its ward and unit, read once per request in one query
    and kept where `user.membership` looks (None: Django then raises DoesNotExist)."""
    if isinstance(user, AnonymousUser) or not user.is_authenticated:
        return None
    related = Membership._meta.get_field("user").remote_field  # user.membership
    if not related.is_cached(user):
        found = Membership.objects.select_related("ward", "unit").filter(user=user)
        related.set_cached_value(user, found.first())
    return related.get_cached_value(user)


def user_ward(user) -> Ward | None:
    """Return the ward the user works for, or None (anonymous, or no membership)."""
    membership = _membership(user)
    return membership.ward if membership else None


NO_WARD_MESSAGE = "Tài khoản chưa được gán vào phường nào."


def ward_required(user) -> Ward:
    """The ward a staff page works on; an account of no ward (city staff, a new account)
    gets a Vietnamese 403 rather than a page of nobody's records."""
    ward = user_ward(user)
    if ward is None:
        raise PermissionDenied(NO_WARD_MESSAGE)
    return ward


def user_unit(user) -> Unit | None:
    """Return the user's own unit, or None."""
    membership = _membership(user)
    return membership.unit if membership else None


ROLES_SECONDS = 60  # bounds what no signal reports (a whole group deleted)


def _roles_key(user_id) -> str:
    return f"loa:roles:{user_id}"


def user_roles(user) -> set[str]:
    """The user's roles, asked on every staff page: kept a minute in the cache and
    forgotten as soon as the user's groups change (signal_handlers)."""
    if not getattr(user, "is_authenticated", False):
        return set()
    if not hasattr(user, "_loa_roles"):
        user._loa_roles = caches["memo"].get_or_set(
            _roles_key(user.pk),
            lambda: set(user.groups.values_list("name", flat=True)),
            timeout=ROLES_SECONDS,
        )
    return user._loa_roles


def roles_changed(user_id) -> None:
    # Must not be missed: a cache that does not answer fails the change loudly.
    caches["strict"].delete(_roles_key(user_id))


def is_plan_manager(user) -> bool:
    """Leaders and the lead unit import plans and edit every unit's tasks in their ward."""
    return bool(user_ward(user)) and (
        user.is_superuser or bool(user_roles(user) & roles.PLAN_MANAGERS)
    )


# Roles that write and publish the ward's portal articles and their outgoing posts.
EDITORIAL_ROLES = {roles.EDITOR, roles.APPROVER, roles.LEADER}


def can_manage_ward_posts(user, ward: Ward | None) -> bool:
    """The ward's editors, approvers and plan managers handle its articles' outgoing
    posts (texts, "đã đăng", resend); nobody of another ward does."""
    if ward is None or user_ward(user) != ward:
        return False
    return is_plan_manager(user) or bool(user_roles(user) & EDITORIAL_ROLES)


def can_act_for_unit(user, unit: Unit) -> bool:
    """A unit's staff edit only their unit's records; plan managers edit any unit of their ward."""
    ward = user_ward(user)
    if ward is None or unit.ward_id != ward.pk:
        return False
    if is_plan_manager(user):
        return True
    own = user_unit(user)
    return own is not None and own.pk == unit.pk


def user_city(user) -> str:
    """The city a city staff account reads, or "" for everyone else."""
    membership = _membership(user)
    if membership is None:
        return ""
    if membership.ward_id is None and roles.CITY_STAFF in user_roles(user):
        return membership.city
    return ""


def wards_for_figures(user) -> list[Ward]:
    """Wards whose figures the user may read: their own, or every ward of their city."""
    city = user_city(user)
    if city:
        return list(Ward.objects.filter(province=city, merged_into__isnull=True))
    ward = user_ward(user)
    return [ward] if ward else []
