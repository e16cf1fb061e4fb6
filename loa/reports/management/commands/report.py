"""`loa report --plan 77/KH-UBND --from 2026-01-01 --to 2026-06-30 --format docx -o r.docx`."""

from datetime import date
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from loa.core.models import Ward
from loa.reports.services import FORMATS, draft_get_or_create, plan_find, report_export


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(
            f"Ngày không hợp lệ: {text!r} (viết theo dạng YYYY-MM-DD)."
        ) from exc


class Command(BaseCommand):
    help = "Xuất báo cáo kết quả thực hiện kế hoạch (docx, pdf, xlsx) cho một kỳ."

    def add_arguments(self, parser):
        parser.add_argument(
            "--plan", required=True, help="số, ký hiệu kế hoạch, ví dụ 77/KH-UBND"
        )
        parser.add_argument(
            "--from", dest="start", required=True, help="từ ngày YYYY-MM-DD"
        )
        parser.add_argument(
            "--to", dest="end", required=True, help="đến ngày YYYY-MM-DD"
        )
        parser.add_argument("--format", choices=sorted(FORMATS), default="docx")
        parser.add_argument("-o", "--output", required=True, help="tệp ghi ra")
        parser.add_argument(
            "--ward", help="mã phường khi nhiều phường cùng số kế hoạch"
        )

    def handle(self, *args, **options):
        ward = None
        if options["ward"]:
            ward = Ward.objects.filter(slug=options["ward"]).first()
            if ward is None:
                raise CommandError(f"Không có phường mã {options['ward']!r}.")
        try:
            plan = plan_find(options["plan"], ward=ward)
            draft = draft_get_or_create(
                plan, _date(options["start"]), _date(options["end"])
            )
            report = report_export(draft, options["format"])
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        output = Path(options["output"])
        try:
            output.write_bytes(report.content)
        except OSError as exc:
            raise CommandError(f"Không ghi được tệp {output}: {exc.strerror}.") from exc
        self.stdout.write(f"Đã ghi {output} ({len(report.content) // 1024 + 1} KB).")
