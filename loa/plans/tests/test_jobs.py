from datetime import datetime
from zoneinfo import ZoneInfo

from loa.plans.jobs import next_reminder_at

HCM = ZoneInfo("Asia/Ho_Chi_Minh")


def test_next_reminder_is_at_seven_today_when_it_is_still_early():
    assert next_reminder_at(datetime(2026, 11, 26, 6, 0, tzinfo=HCM)) == datetime(
        2026, 11, 26, 7, 0, tzinfo=HCM
    )


def test_next_reminder_is_tomorrow_once_seven_has_passed():
    assert next_reminder_at(datetime(2026, 11, 26, 7, 0, tzinfo=HCM)) == datetime(
        2026, 11, 27, 7, 0, tzinfo=HCM
    )
