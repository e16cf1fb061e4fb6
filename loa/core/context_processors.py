from . import roles
from .access import is_plan_manager, user_city, user_roles, user_ward

ARTICLE_WRITERS = {roles.EDITOR, roles.APPROVER, roles.CULTURE_STAFF}


def ward(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        from .selectors import ward_for_request

        # A visitor is on the ward whose address they opened.
        return {
            "current_ward": ward_for_request(request),
            "is_plan_manager": False,
            "is_city_staff": False,
            "unread_notifications": 0,
        }
    from .selectors import unread_notification_count

    return {
        "current_ward": user_ward(user),
        "is_plan_manager": is_plan_manager(user),
        # City staff (Membership with a city, no ward): their own menu (base.html).
        "is_city_staff": bool(user_city(user)),
        "current_city": user_city(user),
        "can_edit_portal": user.is_superuser or roles.LEADER in user_roles(user),
        # "Viết bài" (content:article_write): the roles that may add pages in their own
        # ward's portal (loa.content.starter.PAGE_PERMISSIONS, checked by a test).
        "can_write_articles": bool(user_ward(user))
        and (user.is_superuser or bool(user_roles(user) & ARTICLE_WRITERS)),
        "unread_notifications": unread_notification_count(user),
    }
