from django.utils.functional import SimpleLazyObject

from .access import user_ward


class CurrentWardMiddleware:
    """Put the signed-in user's ward on the request: every view scopes its queries by it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.ward = SimpleLazyObject(lambda: user_ward(request.user))
        return self.get_response(request)
