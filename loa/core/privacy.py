"""Personal numbers in free text: one definition, used by the assistant, the logs and the
community digital teams' records."""

import re

# A Vietnamese phone number as people type it: 0 or +84, then 9-10 digits, with spaces,
# dots or dashes between them.
PHONE_RE = re.compile(r"(?<!\d)(?:\+?84|0)(?:[\s.-]?\d){8,10}(?!\d)")
ID_NUMBER_RE = re.compile(r"(?<!\d)(?:\d{12}|\d{9})(?!\d)")  # CCCD (12), old CMND (9)
EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")


def redact(text: str) -> str:
    """Replace phone numbers, ID-card numbers and e-mail addresses before anything is stored."""
    text = EMAIL_RE.sub("[thư điện tử]", text)
    text = PHONE_RE.sub("[số điện thoại]", text)
    return ID_NUMBER_RE.sub("[số định danh]", text)
