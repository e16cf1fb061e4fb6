"""`loa plan import|list|remind`: plans from the command line."""

import json
import sys
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from loa.core.models import Ward
from loa.core.selectors import ward_for_command


class Command(BaseCommand):
    help = "Nhập, liệt kê kế hoạch và đôn đốc nhiệm vụ."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="đọc, phân tích (và lưu) một kế hoạch")
        imp.add_argument("file")
        imp.add_argument("--json", action="store_true", help="in kết quả dạng JSON")
        imp.add_argument(
            "--save", action="store_true", help="lưu vào phường (cần --ward)"
        )
        imp.add_argument("--ward", help="mã phường (slug)")
        lst = sub.add_parser("list", help="danh sách kế hoạch đã lưu")
        lst.add_argument("--json", action="store_true")
        lst.add_argument(
            "--ward", help="mã phường/xã (slug); mặc định: phường/xã duy nhất"
        )
        rem = sub.add_parser(
            "remind", help="đôn đốc nhiệm vụ quá hạn, chưa có hoạt động"
        )
        rem.add_argument("--ward", help="mã phường (slug); mặc định mọi phường")
        rem.add_argument("--date", help="coi hôm nay là ngày này (YYYY-MM-DD)")

    def fail(self, message: str) -> None:
        """One Vietnamese line on stderr and exit status 2: never a traceback."""
        sys.stderr.write(message.strip().replace("\n", " ") + "\n")
        raise SystemExit(2)

    def handle(self, *args, **options):
        try:
            getattr(self, f"handle_{options['action']}")(options)
        except (SystemExit, CommandError):
            raise
        except Exception as exc:  # noqa: BLE001 - the contract is: no traceback, exit 2
            self.fail(f"Lỗi không xử lý được: {exc.__class__.__name__}.")

    def _ward(self, slug: str | None, *, required: bool) -> Ward | None:
        if slug:
            ward = Ward.objects.filter(slug=slug).first()
            if ward is None:
                self.fail(f"Không có phường/xã với mã '{slug}'.")
            return ward
        wards = list(Ward.objects.filter(is_active=True)[:2])
        if len(wards) == 1:
            return wards[0]
        if required:
            self.fail("Cần chỉ rõ phường/xã bằng --ward MÃ.")
        return None

    def handle_import(self, options):
        from loa.plans.services import plan_import, plan_preview

        path = Path(options["file"])
        if not path.is_file():
            self.fail(f"Không tìm thấy tệp: {path}")
        try:
            data = path.read_bytes()
        except OSError:
            self.fail(f"Không đọc được tệp: {path}")
        if options["save"]:
            ward = self._ward(options["ward"], required=True)
            try:
                plan = plan_import(ward=ward, data=data, filename=path.name)
            except ValidationError as exc:
                self.fail(" ".join(exc.messages))
            result = {"id": plan.pk, "ward": ward.slug, **_plan_summary(plan)}
            self.stdout.write(
                json.dumps(result, ensure_ascii=False)
                if options["json"]
                else f"Đã nhập {plan} vào {ward}: {result['units']} đơn vị, {result['tasks']} nhiệm vụ."
            )
            return
        try:
            preview = plan_preview(data=data, filename=path.name)
        except ValidationError as exc:
            self.fail(" ".join(exc.messages))
        parsed = preview.parsed.as_dict()
        parsed.pop("restored_text", None)
        if options["json"]:
            self.stdout.write(json.dumps(parsed, ensure_ascii=False))
        else:
            self.stdout.write(
                f"{parsed.get('doc_type') or 'Văn bản'} số {parsed.get('number')} ngày {parsed.get('date')}"
            )
            for unit in parsed.get("units", []):
                self.stdout.write(f"  {unit['name']}: {len(unit['tasks'])} nhiệm vụ")

    def handle_list(self, options):
        from loa.plans.selectors import plan_list_for_ward

        ward = ward_for_command(options["ward"])
        # The output is a list, in JSON too: the ward is named on stderr, first.
        self.stderr.write(
            f"Phường/xã: {ward.display_name} ({ward.slug})", style_func=str
        )
        plans = [_plan_summary(p) for p in plan_list_for_ward(ward)]
        if options["json"]:
            self.stdout.write(json.dumps(plans, ensure_ascii=False))
            return
        for p in plans:
            self.stdout.write(
                f"{p['number']}\t{p['date']}\t{p['units']} đơn vị\t{p['tasks']} nhiệm vụ\t{p['title']}"
            )

    def handle_remind(self, options):
        from datetime import date

        from loa.plans.services import reminders_send

        ward = self._ward(options["ward"], required=False) if options["ward"] else None
        try:
            today = (
                date.fromisoformat(options["date"])
                if options["date"]
                else timezone.localdate()
            )
        except ValueError:
            self.fail("Ngày không hợp lệ, cần dạng YYYY-MM-DD.")
        sent = reminders_send(today=today, ward=ward)
        self.stdout.write(f"Đã gửi {sent} thông báo đôn đốc.")


def _plan_summary(plan) -> dict:
    tasks = plan.tasks.all()
    return {
        "number": plan.number,
        "date": plan.issued_date.isoformat() if plan.issued_date else None,
        "title": plan.title,
        "units": len({t.unit_id for t in tasks}),
        "tasks": len(tasks),
    }
