"""Staff page of the content calendar."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from loa.core.access import ward_required
from loa.vn.dates import week_label_of

from ..selectors import MISSING_FLAG, content_calendar


@login_required
def content_calendar_page(request):
    ward = ward_required(request.user)
    weeks = content_calendar(ward=ward)
    for week in weeks:
        week.text = week_label_of(week.start)  # "tuần 50 (07/12 – 13/12/2026)"
    return render(
        request,
        "channels/content_calendar.html",
        {
            "weeks": weeks,
            "radio_known": any(w.radio_known for w in weeks),
            "missing_flag": MISSING_FLAG,
        },
    )
