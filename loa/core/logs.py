"""Logging helpers: personal numbers never reach the log, JSON lines on request.

`RedactFilter` (on the console handler) rewrites every record's message with the
assistant's `redact` (phone numbers, 9/12-digit ID-card numbers, e-mail addresses) and
blanks learners' access keys in old "/hoc/tiep-tuc/<key>/" links;
`JsonFormatter` (LOA_LOG_FORMAT=json) writes one JSON object per line and redacts
tracebacks and stacks the same way.
"""

from __future__ import annotations

import logging
import re

from pythonjsonlogger.json import JsonFormatter as _JsonFormatter

from .privacy import redact

# The fields of a JSON line (Django's LOGGING and gunicorn's lines alike).
JSON_FORMAT = {
    "fmt": "%(asctime)s %(levelname)s %(name)s %(process)d %(message)s",
    "datefmt": "%Y-%m-%dT%H:%M:%S%z",
    "rename_fields": {"asctime": "time", "levelname": "level"},
}


# A learner's access key in a link handed out before it moved into a form: it opens the
# learner's personal data. Plain or percent-encoded (a "tiep=" query value).
LEARNER_KEY_IN_PATH_RE = re.compile(
    r"((?:/|%2F)hoc(?:/|%2F)tiep-tuc(?:/|%2F))[^/?#&\s\"'%]+", re.IGNORECASE
)


def _redact(text: str) -> str:
    return redact(LEARNER_KEY_IN_PATH_RE.sub(r"\1[mã đã ẩn]", text))


class RedactFilter(logging.Filter):
    """Replace the record's message by its redacted text (the record is shared, so any
    handler after this one sees the redacted message too)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a broken format string must not drop the line
            message = str(record.msg)
        redacted = _redact(message)
        if redacted != message:
            record.msg = redacted
            record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = _redact(
                logging.Formatter().formatException(record.exc_info)
            )
        elif record.exc_text:
            record.exc_text = _redact(record.exc_text)
        return True


class JsonFormatter(_JsonFormatter):
    """python-json-logger's formatter with tracebacks and stacks redacted; Vietnamese
    stays readable (no \\u escapes)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("json_ensure_ascii", False)
        super().__init__(*args, **kwargs)

    def formatException(self, ei) -> str:  # noqa: N802 - logging's naming
        return _redact(super().formatException(ei))

    def formatStack(self, stack_info) -> str:  # noqa: N802 - logging's naming
        return _redact(super().formatStack(stack_info))

    def format(self, record: logging.LogRecord) -> str:
        if record.exc_info and record.exc_text:
            # RedactFilter already rendered (and redacted) the traceback: use it.
            exc_info, record.exc_info = record.exc_info, None
            try:
                return super().format(record)
            finally:
                record.exc_info = exc_info
        return super().format(record)
