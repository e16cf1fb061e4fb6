"""`loa radio_airings FILE [--ward SLUG]`: import a smart-radio platform's airing log."""

import sys
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand

from loa.core.selectors import ward_for_public


class Command(BaseCommand):
    help = "Nhập nhật ký phát của hệ thống truyền thanh thông minh (CSV hoặc JSON); mỗi lượt phát là một hoạt động."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--ward", help="mã phường (slug)")

    def handle(self, *args, **options):
        from loa.channels.services.smart_radio import airings_import

        ward = ward_for_public(options["ward"])
        path = Path(options["file"])
        if ward is None or not path.is_file():
            sys.stderr.write("Cần tệp nhật ký và mã phường (--ward) hợp lệ.\n")
            raise SystemExit(2)
        try:
            result = airings_import(
                ward=ward, data=path.read_bytes(), filename=path.name
            )
        except ValidationError as exc:
            sys.stderr.write(" ".join(exc.messages) + "\n")
            raise SystemExit(2) from None
        self.stdout.write(
            f"Đã nhập {result.imported} lượt phát, bỏ qua {result.duplicates} lượt trùng."
        )
        for error in result.errors:
            self.stdout.write(f"  {error}")
