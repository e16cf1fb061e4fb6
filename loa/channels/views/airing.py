"""Smart-radio platforms post their airing log here (token from LOA_SMART_RADIO_TOKEN)."""

import hmac

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from loa.core.selectors import ward_for_request

from ..services.smart_radio import airings_import


@csrf_exempt
@require_POST
def airing_log(request):
    token = getattr(settings, "LOA_SMART_RADIO_TOKEN", "")
    given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if not token or not hmac.compare_digest(given, token):
        return JsonResponse(
            {"detail": "Không có quyền gửi nhật ký phát thanh."}, status=403
        )
    # The ward of the address the platform posts to; ?phuong= names one explicitly.
    ward = ward_for_request(request, request.GET.get("phuong") or None)
    if ward is None:
        return JsonResponse({"detail": "Cần chỉ rõ phường (?phuong=mã)."}, status=400)
    if len(request.body) > settings.LOA_MAX_UPLOAD_BYTES:
        return JsonResponse({"detail": "Nhật ký quá lớn."}, status=413)
    try:
        result = airings_import(
            ward=ward,
            data=request.body,
            filename="nhat-ky.json",
            source=request.headers.get("User-Agent", "")[:200],
        )
    except ValidationError as exc:
        return JsonResponse({"detail": " ".join(exc.messages)}, status=400)
    return JsonResponse(
        {
            "imported": result.imported,
            "duplicates": result.duplicates,
            "errors": result.errors,
        }
    )
