"""The one Vietnamese phone rule and the redaction that must hide whatever it accepts."""

import pytest
from django.core.exceptions import ValidationError

from loa.core.privacy import normalize_phone, redact, validate_phone

# As people write them, and as Loa keeps them.
GOOD_PHONES = [
    ("0912345678", "0912345678"),  # a mobile
    ("0912 345 678", "0912345678"),
    ("0912.345.678", "0912345678"),
    ("091-234-5678", "0912345678"),
    ("+84 912 345 678", "0912345678"),
    ("+84912345678", "0912345678"),
    ("84912345678", "0912345678"),
    ("+84 (0) 912 345 678", "0912345678"),  # the trunk 0 repeated after +84
    ("0220 3850 000", "02203850000"),  # a landline with its area code
    ("(0220) 3850 000", "02203850000"),
    ("+84 220 3850 000", "02203850000"),
    ("024 3825 1234", "02438251234"),
    (912345678, "0912345678"),  # a spreadsheet cell that lost its leading 0
    (912345678.0, "0912345678"),
    (2203850000, "02203850000"),
    (84912345678, "0912345678"),
]
BAD_PHONES = [
    "12345",
    "09-12",
    "912345678",  # typed without its 0: not a number a spreadsheet changed
    "091234567",  # one digit short
    "091234567890",  # one digit too many
    "0012345678",  # 00 is the international prefix, no Vietnamese number
    "+1 202 555 0143",
    "0912 345 67a",
    "không có",
    True,
]


@pytest.mark.parametrize(("typed", "kept"), GOOD_PHONES)
def test_vietnamese_phone_is_kept_as_digits_starting_with_zero(typed, kept):
    assert normalize_phone(typed) == kept
    validate_phone(typed)


@pytest.mark.parametrize("typed", BAD_PHONES)
def test_phone_that_is_not_vietnamese_is_refused_with_a_vietnamese_message(typed):
    with pytest.raises(ValidationError) as exc:
        normalize_phone(typed)
    assert exc.value.code == "bad_phone"
    assert "Số điện thoại" in exc.value.messages[0]
    with pytest.raises(ValidationError):
        validate_phone(typed)


@pytest.mark.parametrize("empty", [None, "", "   "])
def test_no_phone_is_an_empty_phone(empty):
    assert normalize_phone(empty) == ""


@pytest.mark.parametrize(
    "typed", [typed for typed, _ in GOOD_PHONES if isinstance(typed, str)]
)
def test_every_phone_the_rule_accepts_is_redacted_from_free_text(typed):
    text = redact(f"Gọi cho tôi theo số {typed} nhé.")
    assert "[số điện thoại]" in text
    assert not any(ch.isdigit() for ch in text)


def test_a_uuid_in_a_log_line_is_not_taken_for_an_id_number():
    line = "Task id=431312ca-2b50-45d2-be86-431312065901 state=RUNNING"
    assert redact(line) == line
    assert "012345678901" not in redact("CCCD của tôi: 012345678901, nhờ kiểm tra")
