"""One line of Vietnamese for a refused change, whichever way it was refused."""

from django.core.exceptions import PermissionDenied, ValidationError


def error_text(exc: ValidationError | PermissionDenied) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc) or "Bạn không có quyền làm việc này."
