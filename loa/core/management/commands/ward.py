"""`loa ward list` and `loa ward set-address SLUG URL`: the wards and their portal addresses."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from loa.core.models import Ward
from loa.core.services import ward_address_set


class Command(BaseCommand):
    help = "Các phường/xã và địa chỉ cổng thông tin của từng nơi."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("list", help="liệt kê phường/xã và địa chỉ cổng thông tin")
        address = sub.add_parser(
            "set-address", help="đặt địa chỉ cổng thông tin của một phường/xã"
        )
        address.add_argument("slug", help="mã phường/xã, ví dụ hai-duong")
        address.add_argument("address", help="ví dụ https://phuonghaiduong.gov.vn")

    def handle(self, *args, **options):
        if options["action"] == "list":
            for ward in Ward.objects.filter(is_active=True).select_related("site"):
                self.stdout.write(
                    f"{ward.slug}\t{ward.public_url}/\t{ward.display_name}"
                )
            return
        ward = Ward.objects.filter(slug=options["slug"]).first()
        if ward is None:
            raise CommandError(f"Không có phường/xã mã \u201c{options['slug']}\u201d.")
        try:
            ward_address_set(ward=ward, address=options["address"])
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        self.stdout.write(f"Cổng thông tin {ward.display_name}: {ward.public_url}/")
