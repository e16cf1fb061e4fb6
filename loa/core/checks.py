"""System checks (`loa check`): ward addresses people cannot reach."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Warning as CheckWarning
from django.db import DatabaseError
from django.http.request import validate_host


def ward_address_check(app_configs=None, **kwargs):
    """In production, warn about a ward whose address only this machine reaches, or
    whose host name Django would refuse (not in ALLOWED_HOSTS)."""
    if not settings.LOA_PRODUCTION:
        return []
    from .models import Ward
    from .services import is_loopback_address

    try:
        wards = list(Ward.objects.filter(is_active=True))
    except DatabaseError:  # before the first migrate
        return []
    found = []
    for ward in wards:
        if is_loopback_address(ward.public_url):
            found.append(
                CheckWarning(
                    f"Địa chỉ cổng thông tin của {ward.display_name} là "
                    f"{ward.public_url}: chỉ máy chủ này mở được.",
                    hint=f"loa ward set-address {ward.slug} https://<tên miền của phường>",
                    id="loa.W001",
                )
            )
        elif not validate_host(
            urlsplit(ward.public_url).hostname or "", settings.ALLOWED_HOSTS
        ):
            found.append(
                CheckWarning(
                    f"Tên miền {ward.public_url} của {ward.display_name} không có "
                    "trong ALLOWED_HOSTS: mọi yêu cầu tới đó sẽ bị từ chối.",
                    hint="Thêm tên miền vào biến môi trường ALLOWED_HOSTS.",
                    id="loa.W002",
                )
            )
    return found
