"""The checks staff pages of the learning app share."""

from django.core.exceptions import PermissionDenied

from loa.core.access import ward_required

from .. import teams


def require_ward(request):
    """Return the staff member's ward; refuse an account without one."""
    return ward_required(request.user)


def require_manager(request):
    """Return the ward of a plan manager, who keeps teams and imports lists."""
    ward = require_ward(request)
    if not teams.can_manage_teams(request.user):
        raise PermissionDenied(
            "Chỉ lãnh đạo UBND và Phòng Văn hóa - Xã hội được làm việc này."
        )
    return ward
