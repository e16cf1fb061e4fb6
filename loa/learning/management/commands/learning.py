"""`loa learning stats --json`: the ward's "Bình dân học vụ số" figures."""

import json

from django.core.management.base import BaseCommand

from loa.core.selectors import ward_for_command, ward_for_public


class Command(BaseCommand):
    help = "Bình dân học vụ số: số liệu của phường, nạp nội dung khóa học mẫu."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        stats = sub.add_parser(
            "stats", help="số liệu theo tổ dân phố, đối tượng, khóa học; lượt hỗ trợ"
        )
        stats.add_argument("--json", action="store_true")
        stats.add_argument(
            "--ward", help="mã phường/xã (slug); mặc định: phường/xã duy nhất"
        )
        sub.add_parser("load-starter", help="nạp (lại) các khóa học mẫu")
        demo = sub.add_parser("demo", help="tổ công nghệ số cộng đồng mẫu cho phường")
        demo.add_argument("--ward", required=True)

    def handle(self, *args, **options):
        if options["action"] == "load-starter":
            from loa.learning.starter import learning_starter_load

            counts = learning_starter_load()
            self.stdout.write(f"Đã nạp nội dung khóa học mẫu: {counts}")
            return
        if options["action"] == "demo":
            from loa.learning.demo import learning_demo_load

            ward = ward_for_public(options["ward"])
            teams = learning_demo_load(ward=ward) if ward else []
            self.stdout.write(f"Đã tạo {len(teams)} tổ công nghệ số cộng đồng mẫu.")
            return
        from loa.learning.selectors import learning_figures

        ward = ward_for_command(options["ward"])
        figures = learning_figures(ward=ward)
        if options["json"]:
            # "ward" was already the ward's name here; its slug sits beside it.
            figures["ward_slug"] = ward.slug
            self.stdout.write(json.dumps(figures, ensure_ascii=False))
            return
        self.stderr.write(
            f"Phường/xã: {ward.display_name} ({ward.slug})", style_func=str
        )
        self.stdout.write(
            f"{figures['ward']}: {figures['learners']} học viên, {figures['certificates']} giấy chứng nhận, "
            f"{figures['visits']} lượt hỗ trợ người dân."
        )
        for row in figures["by_course"]:
            self.stdout.write(
                f"  {row['title']}: {row['enrolled']} tham gia, {row['completed']} hoàn thành"
            )
