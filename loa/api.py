"""The JSON API of Loa; each app adds its router. OpenAPI at /api/docs."""

from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationError
from ninja.parser import Parser

from loa.assistant.api import router as assistant_router
from loa.learning.api import router as learning_router

BAD_TEXT_MESSAGE = "Dữ liệu gửi lên chứa ký tự không hợp lệ (NUL hoặc mã UTF-16 lẻ)."


def _bad_text(value) -> bool:
    """NUL (PostgreSQL text cannot hold it) or a lone surrogate ("\\ud800" in JSON: no
    UTF-8 encoding) anywhere in the data; both made the database raise, a server error."""
    if isinstance(value, str):
        return "\x00" in value or (not value.isascii() and _has_surrogate(value))
    if isinstance(value, dict):
        return any(_bad_text(k) or _bad_text(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_bad_text(v) for v in value)
    return False


def _has_surrogate(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


class LoaParser(Parser):
    """JSON bodies and query strings, refusing text no database column can store."""

    def parse_body(self, request):
        data = super().parse_body(request)
        if _bad_text(data):
            raise HttpError(400, BAD_TEXT_MESSAGE)
        return data

    def parse_querydict(self, data, list_fields, request):
        result = super().parse_querydict(data, list_fields, request)
        if _bad_text(result):
            raise HttpError(400, BAD_TEXT_MESSAGE)
        return result


api = NinjaAPI(
    title="Loa API",
    version="1",
    description="API của Loa, nền tảng truyền thông số của phường.",
    urls_namespace="api",
    parser=LoaParser(),
)
api.add_router("/assistant", assistant_router)
api.add_router("/learning", learning_router)


# Refusals speak Vietnamese like the rest of Loa (the chat widget shows `detail` as is).
# A body that is not JSON and a body that does not fit the schema carry a `code`, as
# the learning API's documented 400 does; a 403 never gets one (visit.js reads a 403
# without `code` as a CSRF refusal to retry).
_FIELD_MESSAGES = {
    "missing": "Thiếu thông tin bắt buộc.",
    "too_long": "Quá nhiều phần tử.",
    "string_too_long": "Quá dài.",
    "string_too_short": "Quá ngắn.",
}
_HTTP_MESSAGES = {
    "Unauthorized": "Vui lòng đăng nhập.",
    "Forbidden": "Bạn không có quyền thực hiện thao tác này.",
    "CSRF check Failed": "Phiên làm việc đã hết hạn, vui lòng tải lại trang.",
}


def _field_name(loc) -> str:
    parts = [str(p) for p in loc if p not in ("body", "payload", "query", "path")]
    return ".".join(parts) or "__all__"


def _validation_error(request, exc: ValidationError):
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        message = _FIELD_MESSAGES.get(error.get("type"), "Giá trị không hợp lệ.")
        errors.setdefault(_field_name(error.get("loc", ())), []).append(message)
    fields = ", ".join(name for name in errors if name != "__all__")
    detail = "Dữ liệu gửi lên không hợp lệ" + (f" ({fields})." if fields else ".")
    return api.create_response(
        request, {"detail": detail, "code": "invalid", "errors": errors}, status=422
    )


def _http_error(request, exc: HttpError):
    message = str(exc)
    if exc.status_code == 400 and message.startswith("Cannot parse request body"):
        # ninja wraps what the parser raised; a refused character keeps its message.
        cause = exc.__cause__
        bad_text = isinstance(cause, HttpError) and str(cause) == BAD_TEXT_MESSAGE
        body = {
            "detail": BAD_TEXT_MESSAGE
            if bad_text
            else "Nội dung gửi lên không đọc được (cần JSON hợp lệ).",
            "code": "bad_body",
            "errors": {},
        }
        return api.create_response(request, body, status=400)
    body = {"detail": _HTTP_MESSAGES.get(message, message)}
    return api.create_response(request, body, status=exc.status_code)


def _not_found(request, exc):
    return api.create_response(request, {"detail": "Không tìm thấy."}, status=404)


api.add_exception_handler(ValidationError, _validation_error)
api.add_exception_handler(HttpError, _http_error)
api.add_exception_handler(Http404, _not_found)
