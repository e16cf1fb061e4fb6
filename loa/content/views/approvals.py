"""The page a signed approval link opens: preview the article, approve or return it.

Only for the approver the link names, signed in: anyone else is sent to the login page
(a visitor) or refused (another account), and nothing changes.
"""

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from ..approvals import ApprovalLinkError, approval_decide, approval_request_get


def _private(response):
    # The token names a decision: keep it out of Referer headers and search engines.
    # same-origin, not no-referrer: with no-referrer the browser posts "Origin: null"
    # and Django's CSRF check refuses the decision.
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _denied(request, exc: ApprovalLinkError):
    return _private(
        render(
            request,
            "content/approval_denied.html",
            {"message": exc.message, "code": exc.code},
            status=403,
        )
    )


@never_cache
def decide(request, token):
    if not request.user.is_authenticated:
        # After the login (and the second factor, loa.core.security) the link opens.
        return _private(redirect_to_login(request.get_full_path()))
    try:
        approval = approval_request_get(token=token, user=request.user)
    except ApprovalLinkError as exc:
        return _denied(request, exc)
    error = ""
    comment = ""
    if request.method == "POST" and approval.is_pending:
        comment = request.POST.get("comment", "")
        approve = request.POST.get("action") == "approve"
        try:
            approval = approval_decide(
                token=token, user=request.user, approve=approve, comment=comment
            )
        except ValidationError as exc:
            error = exc.messages[0]
        except ApprovalLinkError as exc:
            return _denied(request, exc)
        else:
            return _private(
                render(
                    request,
                    "content/approval_done.html",
                    {"approval": approval, "approved": approve, "just_decided": True},
                )
            )
    if not approval.is_pending:
        return _private(
            render(request, "content/approval_done.html", {"approval": approval})
        )
    return _private(
        render(
            request,
            "content/approval_decide.html",
            {
                "approval": approval,
                "page": approval.page,
                "error": error,
                "comment": comment,
            },
            status=400 if error else 200,
        )
    )
