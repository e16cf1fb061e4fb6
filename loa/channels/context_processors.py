"""What the staff menu needs to know about the channels a person may work on."""

from loa.core.access import can_manage_ward_posts, user_ward

from .services.radio import can_manage_radio


def channels_menu(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    ward = user_ward(user)
    if ward is None:
        return {}
    return {
        # "Phát thanh": plan managers and the unit that runs the weekly segment.
        "can_manage_radio": can_manage_radio(user, ward),
        # "Ấn phẩm": whoever may publish for the ward (managers, editors, approvers).
        "can_print": can_manage_ward_posts(user, ward),
    }
