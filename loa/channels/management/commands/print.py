"""`loa print poster|leaflet|banner|panel --article SLUG_OR_ID -o FILE.pdf`: print materials."""

import time
from pathlib import Path

from django.core.management.base import BaseCommand

from loa.channels.printing import FORMATS, print_from_article


class Command(BaseCommand):
    help = (
        "In áp phích (poster, A3), tờ rơi (leaflet, A5 hai mặt), băng-rôn (banner, "
        "500 × 80 cm) hoặc pa-nô (panel, 120 × 240 cm) từ một tin bài, có mã QR."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=list(FORMATS), help="loại ấn phẩm")
        parser.add_argument(
            "--article", required=True, help="tin bài: đường dẫn (slug) hoặc số ID"
        )
        parser.add_argument(
            "--assistant",
            action="store_true",
            help="mã QR dẫn tới trợ lý (/tro-ly/) thay vì tới bài",
        )
        parser.add_argument("-o", "--output", required=True, help="tệp PDF ghi ra")
        parser.add_argument(
            "--base-url", help="địa chỉ cổng thông tin, ví dụ https://phuong.gov.vn"
        )
        parser.add_argument(
            "--ward", help="mã phường (slug); mặc định: phường duy nhất của hệ thống"
        )

    def handle(self, *args, **options):
        from loa.content.models import ArticlePage
        from loa.core.models import Ward

        page = self._article(ArticlePage, options["article"])
        ward_name = None
        if options["ward"]:
            ward = Ward.objects.filter(slug=options["ward"], is_active=True).first()
            if ward is None:
                self._fail(f"Không có phường/xã với mã '{options['ward']}'.")
            ward_name = ward.display_name
        started = time.perf_counter()
        try:
            pdf = print_from_article(
                page=page,
                kind=options["kind"],
                base_url=options["base_url"],
                ward_name=ward_name,
                to_assistant=options["assistant"],
            )
        except ValueError as error:
            self._fail(str(error))
        output = Path(options["output"])
        output.write_bytes(pdf)
        self.stdout.write(
            f"Đã ghi {output} ({len(pdf) // 1024} KB, "
            f"{time.perf_counter() - started:.1f} giây)."
        )

    def _article(self, model, key: str):
        key = key.strip()
        qs = model.objects.filter(pk=int(key)) if key.isdigit() else None
        page = qs.first() if qs is not None else None
        if page is None:
            page = model.objects.filter(slug=key).order_by("-live", "pk").first()
        if page is None:
            self._fail(f"Không có tin bài '{key}'.")
        if not page.live:
            self._fail(f"Tin bài '{key}' chưa xuất bản hoặc đã gỡ, không in được.")
        return page

    def _fail(self, message: str):
        self.stderr.write(message)
        raise SystemExit(2)
