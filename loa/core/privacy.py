"""Personal numbers: the one Vietnamese phone rule (`normalize_phone`, `validate_phone`)
and their redaction from free text, used by the assistant, the logs, the learning app's
registration, imports and community digital teams."""

import re

from django.core.exceptions import ValidationError

# A Vietnamese phone number: +84, 84 or the trunk 0, then the national number, which
# never starts with 0: 9 digits for a mobile (0912 345 678, 10 in all) and 10 for a
# landline with its area code (0220 3850 000, 11 in all). Written as "+84 (0) 912…" the
# trunk 0 is repeated after the country code; it is dropped.
_PHONE_FULL_RE = re.compile(r"(?:\+?840?|0)([1-9]\d{8,9})")
# What people put between the digits of a number: spaces, dots, dashes, brackets.
_PHONE_SEPARATORS_RE = re.compile(r"[\s.()-]")

# A phone number inside free text, as people type it. It finds every number
# `normalize_phone` accepts, and a few more (one digit shorter), since redaction had
# rather hide too much than too little.
PHONE_RE = re.compile(r"(?<!\d)(?:\+?84|0)(?:[\s.()-]{0,2}\d){8,10}(?!\d)")
# CCCD (12), old CMND (9); not a group of a UUID ("…-be86-431312065901" in a task id)
ID_NUMBER_RE = re.compile(
    r"(?<!\d)(?<![0-9a-fA-F]-)(?:\d{12}|\d{9})(?!\d)(?!-[0-9a-fA-F])"
)
EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")


def normalize_phone(value: str | int | float | None) -> str:
    """Return a Vietnamese phone number as digits starting with 0 ("" when empty).

    Accept it as people write it: with +84 or 84 instead of the 0, with spaces, dots,
    dashes or brackets. A number (a spreadsheet cell stored as a number) has lost its
    leading 0, which is put back. Raise ValidationError (code "bad_phone") otherwise.
    """
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    if not text:
        return ""
    digits = _PHONE_SEPARATORS_RE.sub("", text)
    if type(value) is int and len(digits) in (9, 10) and digits[0] != "0":
        digits = "0" + digits
    found = _PHONE_FULL_RE.fullmatch(digits)
    if found is None:
        raise ValidationError(
            "Số điện thoại %(phone)s không hợp lệ: cần 10 hoặc 11 chữ số, bắt đầu "
            "bằng 0 (hoặc +84).",
            code="bad_phone",
            params={"phone": text},
        )
    return "0" + found.group(1)


def validate_phone(value: str) -> None:
    """Refuse a value that `normalize_phone` does not take for a phone number."""
    normalize_phone(value)


def redact(text: str) -> str:
    """Replace phone numbers, ID-card numbers and e-mail addresses before anything is stored."""
    text = EMAIL_RE.sub("[thư điện tử]", text)
    text = PHONE_RE.sub("[số điện thoại]", text)
    return ID_NUMBER_RE.sub("[số định danh]", text)
