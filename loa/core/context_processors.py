from .access import is_plan_manager, user_ward


def ward(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {
            "current_ward": None,
            "is_plan_manager": False,
            "unread_notifications": 0,
        }
    from .selectors import notification_list_for_user

    current = user_ward(user)
    unread = (
        notification_list_for_user(user).filter(read_at__isnull=True).count()
        if current
        else 0
    )
    return {
        "current_ward": current,
        "is_plan_manager": is_plan_manager(user),
        "unread_notifications": unread,
    }
