"""Zalo OA's sending rules as pure functions, at their boundaries."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from loa.channels.adapters.zalo import (
    follower_may_get_promo,
    next_month_at,
    promo_check,
    promo_opens_at,
    quota_remaining,
    reply_check,
)

HCM = ZoneInfo("Asia/Ho_Chi_Minh")


def at(hour, minute=0, day=10, month=3, second=0):
    return datetime(2026, month, day, hour, minute, second, tzinfo=HCM)


def allowed(now, *, approved=True, used=0, quota=100):
    return promo_check(now=now, has_approved_template=approved, used=used, quota=quota)


def test_promo_at_7_59_waits_until_8_this_morning():
    verdict = allowed(at(7, 59))
    assert not verdict.is_allowed
    assert verdict.until == at(8, 0)
    assert "8:00 sáng nay" in verdict.reason


def test_promo_at_8_00_is_allowed():
    assert allowed(at(8, 0)).is_allowed
    assert promo_opens_at(at(8, 0)) is None


def test_promo_at_21_59_is_allowed():
    assert allowed(at(21, 59, second=59)).is_allowed


def test_promo_at_22_00_waits_until_8_tomorrow_and_says_so():
    verdict = allowed(at(22, 0))
    assert not verdict.is_allowed
    assert verdict.until == at(8, 0, day=11)
    assert verdict.reason.startswith(
        "Chờ đến 8:00 sáng mai theo quy định gửi tin truyền thông của Zalo"
    )


def test_promo_just_after_midnight_waits_until_8_the_same_day():
    assert promo_opens_at(at(0, 5, day=11)) == at(8, 0, day=11)


def test_window_is_read_in_vietnam_time_whatever_the_clock_zone():
    utc_0059 = datetime(2026, 3, 10, 0, 59, tzinfo=ZoneInfo("UTC"))  # 7:59 in Hà Nội
    assert promo_opens_at(utc_0059) == at(8, 0)
    utc_0100 = datetime(2026, 3, 10, 1, 0, tzinfo=ZoneInfo("UTC"))  # 8:00
    assert promo_opens_at(utc_0100) is None


def test_second_promo_to_a_follower_the_same_day_is_refused():
    assert not follower_may_get_promo(
        last_promo_on=date(2026, 3, 10), today=date(2026, 3, 10)
    )


def test_promo_to_a_follower_the_next_day_is_allowed():
    assert follower_may_get_promo(
        last_promo_on=date(2026, 3, 9), today=date(2026, 3, 10)
    )
    assert follower_may_get_promo(last_promo_on=None, today=date(2026, 3, 10))


def test_exhausted_quota_waits_until_the_first_of_next_month():
    verdict = allowed(at(10), used=100, quota=100)
    assert not verdict.is_allowed
    assert verdict.until == datetime(2026, 4, 1, 8, 0, tzinfo=HCM)
    assert "hạn mức 100 tin" in verdict.reason


def test_last_message_of_the_quota_is_allowed():
    assert allowed(at(10), used=99, quota=100).is_allowed
    assert quota_remaining(used=99, quota=100) == 1
    assert quota_remaining(used=120, quota=100) == 0


def test_quota_renews_across_the_year_end():
    assert next_month_at(at(10, day=31, month=12)) == datetime(
        2027, 1, 1, 8, tzinfo=HCM
    )


def test_promo_without_an_approved_template_waits_with_no_known_end():
    verdict = allowed(at(10), approved=False)
    assert not verdict.is_allowed
    assert verdict.until is None
    assert "mẫu" in verdict.reason


def test_reply_47_hours_59_minutes_after_the_last_message_is_allowed():
    last = at(9)
    assert reply_check(
        last_message_at=last, now=last + timedelta(hours=47, minutes=59)
    ).is_allowed


def test_reply_exactly_48_hours_after_the_last_message_is_refused():
    last = at(9)
    verdict = reply_check(last_message_at=last, now=last + timedelta(hours=48))
    assert not verdict.is_allowed
    assert "48 giờ" in verdict.reason


def test_reply_to_a_follower_who_never_wrote_is_refused():
    assert not reply_check(last_message_at=None, now=at(9)).is_allowed
