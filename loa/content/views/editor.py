"""The editor's way into Wagtail: "Viết bài" from the staff menu, and Wagtail's own
login address sent to Loa's Vietnamese login."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache

from ..services import article_add_url, ward_sections_for_writer


@login_required
@never_cache
def article_write(request):
    """Open Wagtail's editor for a new article in a chuyên mục of the user's own ward:
    straight there when there is one, a choice when there are several."""
    sections = ward_sections_for_writer(request.user)
    if len(sections) == 1:
        return redirect(article_add_url(sections[0]))
    choices = [(section, article_add_url(section)) for section in sections]
    return render(
        request,
        "content/article_write.html",
        {"choices": choices},
        status=200 if choices else 403,
    )


@never_cache
def cms_login(request):
    """/cms/login/ (Wagtail's "Sign in to Wagtail") goes to Loa's own login, which
    brings the officer back to the page of /cms/ they were opening."""
    target = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = ""
    target = target or "/cms/"
    if request.user.is_authenticated and request.user.has_perm(
        "wagtailadmin.access_admin"
    ):
        return redirect(target)
    return redirect_to_login(target, settings.LOGIN_URL)
