"""UploadError: the one refusal every upload guard raises, in Vietnamese."""

from __future__ import annotations


class UploadError(ValueError):
    """An upload is refused; ``message`` is one Vietnamese sentence, ``code`` a short key."""

    def __init__(self, message: str, *, code: str = "invalid"):
        super().__init__(message)
        self.message = message
        self.code = code
