from . import roles
from .access import is_plan_manager, user_roles, user_ward


def ward(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        from .selectors import ward_for_request

        # A visitor is on the ward whose address they opened.
        return {
            "current_ward": ward_for_request(request),
            "is_plan_manager": False,
            "unread_notifications": 0,
        }
    from .selectors import unread_notification_count

    return {
        "current_ward": user_ward(user),
        "is_plan_manager": is_plan_manager(user),
        "can_edit_portal": user.is_superuser or roles.LEADER in user_roles(user),
        "unread_notifications": unread_notification_count(user),
    }
