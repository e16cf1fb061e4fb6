"""What the staff menu needs to know about the assistant's staff pages."""

from .selectors import can_manage_knowledge, can_see_volunteer_requests


def assistant_menu(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        # "Trợ lý": the queue of handed-over questions for those who keep the knowledge,
        # the volunteer requests for the digital team.
        "can_answer_residents": can_manage_knowledge(user),
        "can_see_volunteer_requests": can_see_volunteer_requests(user),
    }
