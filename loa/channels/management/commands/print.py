"""`loa print poster|leaflet|banner|panel --item SLUG_OR_ID -o FILE.pdf` (or --article),
`loa print banner --slogan ID [--size WxH] -o FILE.pdf`: print materials."""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from loa.channels.services.printing import (
    BANNER_DEFAULT_CM,
    FORMATS,
    banner_size,
    print_from_article,
    print_slogan,
)


class Command(BaseCommand):
    help = (
        "In áp phích (poster, A3), tờ rơi (leaflet, A5 hai mặt), băng-rôn (banner, "
        "500 × 80 cm) hoặc pa-nô (panel, 120 × 240 cm) từ một tin bài, có mã QR."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=list(FORMATS), help="loại ấn phẩm")
        source = parser.add_mutually_exclusive_group(required=True)
        source.add_argument(
            "--article",
            "--item",
            dest="article",
            help="tin bài: đường dẫn (slug) hoặc số ID",
        )
        source.add_argument(
            "--slogan", type=int, help="băng-rôn từ khẩu hiệu đã duyệt (số ID)"
        )
        parser.add_argument(
            "--size",
            help="kích thước băng-rôn RỘNGxCAO theo cm "
            f"(mặc định {BANNER_DEFAULT_CM[0]}x{BANNER_DEFAULT_CM[1]})",
        )
        parser.add_argument(
            "--assistant",
            action="store_true",
            help="mã QR dẫn tới trợ lý (/tro-ly/) thay vì tới bài",
        )
        parser.add_argument("-o", "--output", required=True, help="tệp PDF ghi ra")
        parser.add_argument(
            "--base-url",
            help="địa chỉ in trên ấn phẩm, ví dụ https://phuong.gov.vn "
            "(mặc định: địa chỉ cổng thông tin của phường)",
        )
        parser.add_argument(
            "--ward",
            help="mã phường (slug); mặc định: phường của tin bài, "
            "hoặc phường duy nhất của hệ thống",
        )

    def handle(self, *args, **options):
        from loa.content.models import ArticlePage

        size_cm = None
        if options["size"]:
            if options["kind"] != "banner":
                self._fail("Chỉ băng-rôn (banner) mới đặt được kích thước --size.")
            try:
                size_cm = banner_size(options["size"])
            except ValueError as error:
                self._fail(str(error))
        slogan = None
        page = None
        given = self._given_ward(options["ward"]) if options["ward"] else None
        if options["slogan"] is not None:
            slogan = self._slogan(options["kind"], options["slogan"])
        else:
            page = self._article(ArticlePage, options["article"], ward=given)
        ward = self._ward(given, page, base_url=options["base_url"])
        started = time.perf_counter()
        try:
            if slogan is not None:
                pdf = print_slogan(
                    slogan=slogan,
                    ward=ward,
                    base_url=options["base_url"],
                    size_cm=size_cm,
                )
            else:
                pdf = print_from_article(
                    page=page,
                    kind=options["kind"],
                    ward=ward,
                    base_url=options["base_url"],
                    to_assistant=options["assistant"],
                    size_cm=size_cm,
                )
        except ValueError as error:
            self._fail(str(error))
        output = Path(options["output"])
        output.write_bytes(pdf)
        self.stdout.write(
            f"Đã ghi {output} ({len(pdf) // 1024} KB, "
            f"{time.perf_counter() - started:.1f} giây)."
        )

    def _given_ward(self, slug: str | None):
        """The ward --ward names, or the only active ward without it."""
        from loa.core.selectors import ward_for_command

        try:
            return ward_for_command(slug)
        except CommandError as error:
            self._fail(str(error))

    def _ward(self, given, page, *, base_url: str | None):
        """--ward, else the article's own ward, else the only active ward."""
        from loa.content.wards import ward_for_page

        own = ward_for_page(page) if page is not None else None
        if given is None:
            return own or self._given_ward(None)
        ward = given
        if own is not None and ward != own and not base_url:
            # The article is served only at its own ward's address: a QR on another
            # ward's address would lead to "không tìm thấy trang".
            self._fail(
                f"Tin bài '{page.slug}' thuộc cổng thông tin {own.display_name}, "
                f"không phải {ward.display_name}; bỏ --ward hoặc chọn đúng phường."
            )
        return ward

    def _article(self, model, key: str, *, ward=None):
        key = key.strip()
        qs = model.objects.filter(pk=int(key)) if key.isdigit() else None
        page = qs.first() if qs is not None else None
        if page is None:
            # Every ward's portal may have an article of that name: --ward's first.
            pages = model.objects.filter(slug=key).order_by("-live", "pk")
            if ward is not None and ward.site_id:
                page = pages.descendant_of(ward.site.root_page).first()
            page = page or pages.first()
        if page is None:
            self._fail(f"Không có tin bài '{key}'.")
        if not page.live:
            self._fail(f"Tin bài '{key}' chưa xuất bản hoặc đã gỡ, không in được.")
        return page

    def _slogan(self, kind: str, pk: int):
        from loa.channels.models import Slogan

        if kind != "banner":
            self._fail("Khẩu hiệu chỉ in thành băng-rôn (banner).")
        slogan = Slogan.objects.filter(pk=pk).first()
        if slogan is None:
            self._fail(f"Không có khẩu hiệu số {pk}.")
        if not slogan.is_approved:
            self._fail("Khẩu hiệu chưa được duyệt")
        return slogan

    def _fail(self, message: str):
        self.stderr.write(message)
        raise SystemExit(2)
