"""`loa setup`: migrate, collect static files, load the seed plan and demo data (idempotent)."""

import tempfile
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Chuẩn bị CSDL, nạp kế hoạch mẫu và dữ liệu demo (chạy lại không sao)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-demo",
            action="store_true",
            help="chỉ tạo CSDL, không nạp dữ liệu demo",
        )

    def handle(self, *args, **options):
        call_command("migrate", interactive=False, verbosity=0)
        call_command("createcachetable", verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        if options["no_demo"]:
            return
        from loa.ops.recurring import schedule_recurring
        from loa.plans.demo import DEMO_PASSWORD, DEMO_STAFF, demo_load

        result = demo_load()
        schedule_recurring()
        call_command("learning", "load-starter", stdout=self.stdout)
        call_command(
            "learning", "demo", "--ward", result["ward"].slug, stdout=self.stdout
        )
        from loa.reports.demo import reports_demo_load

        plan = result["plan"]
        if reports_demo_load(plan=plan):
            self.stdout.write(
                "Đã nạp số liệu demo nhiều tháng, kinh phí, báo cáo 6 tháng và 3 phường của thành phố."
            )
        from loa.library.demo import library_demo_load
        from loa.reports.demo import CITY

        library_demo_load(CITY)
        # Every ward of the demo, now that all exist: its portal at its own address and
        # the starter knowledge base (guides and FAQ) for its assistant.
        from loa.content.starter import content_starter_load
        from loa.core.models import Ward

        content_starter_load()
        wards = list(Ward.objects.filter(is_active=True).order_by("pk"))
        kb_dir = Path(__file__).resolve().parents[3] / "data" / "kb"
        self._knowledge_load(kb_dir, seed_plan=plan, wards=wards)
        self.stdout.write(
            f"Đã nạp {plan} ({plan.tasks.count()} nhiệm vụ) cho {result['ward']}."
        )
        self.stdout.write("Cổng thông tin của từng phường (mở ngay trên máy này):")
        for ward in wards:
            self.stdout.write(f"  {ward.public_url}/ — {ward.display_name}")
        self.stdout.write(f"Tài khoản demo (mật khẩu chung: {DEMO_PASSWORD}):")
        self.stdout.write("  admin — quản trị hệ thống (/django-admin/, /cms/)")
        for username, full_name, role, _ in DEMO_STAFF:
            self.stdout.write(f"  {username} — {full_name} ({role})")
        self.stdout.write(
            "  thanhpho — cán bộ thành phố (số liệu mọi phường của Thành phố Hải Phòng)"
        )

    def _knowledge_load(self, kb_dir: Path, *, seed_plan, wards) -> None:
        """The starter knowledge base: as written for the seed ward, and rewritten for
        each other ward with its own name and plan (loa.assistant.demo)."""
        from loa.assistant.demo import starter_kb_for_ward
        from loa.plans.models import Plan

        for ward in wards:
            if ward == seed_plan.ward:
                call_command(
                    "kb", "ingest", str(kb_dir), "--ward", ward.slug, stdout=self.stdout
                )
                continue
            plan = Plan.objects.filter(ward=ward, status=Plan.Status.ACTIVE).first()
            if plan is None:
                continue
            with tempfile.TemporaryDirectory() as folder:
                starter_kb_for_ward(
                    source=kb_dir,
                    dest=Path(folder),
                    seed_ward=seed_plan.ward,
                    seed_plan=seed_plan,
                    ward=ward,
                    plan=plan,
                )
                call_command(
                    "kb", "ingest", folder, "--ward", ward.slug, stdout=self.stdout
                )
