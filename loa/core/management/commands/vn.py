"""`loa vn restore`: restore Vietnamese diacritics of text on stdin."""

import sys

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Công cụ tiếng Việt: phục hồi dấu (restore)."
    requires_system_checks = []

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser(
            "restore", help="đọc văn bản mất dấu từ stdin, in văn bản đã phục hồi dấu"
        )

    def handle(self, *args, **options):
        from loa.vn import nfc, restore

        data = sys.stdin.buffer.read()
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            sys.stderr.write("Văn bản vào phải được mã hóa UTF-8.\n")
            raise SystemExit(2) from None
        sys.stdout.write(nfc(restore(text)))
        sys.stdout.flush()
