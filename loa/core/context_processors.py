from .access import is_plan_manager, user_ward


def ward(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {
            "current_ward": None,
            "is_plan_manager": False,
            "unread_notifications": 0,
        }
    from .selectors import unread_notification_count

    return {
        "current_ward": user_ward(user),
        "is_plan_manager": is_plan_manager(user),
        "unread_notifications": unread_notification_count(user),
    }
