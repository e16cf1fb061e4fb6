"""`loa restore FILE [--force]`: put back a `loa backup` archive, then migrate."""

from django.core.management.base import BaseCommand, CommandError

from loa.ops.backup import ENGINE_NAMES, BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Khôi phục CSDL, tệp đính kèm và chỉ mục từ tệp của `loa backup`, rồi cập nhật "
        "CSDL lên phiên bản hiện tại. Dừng `loa serve` và tiến trình nền trước khi chạy."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "file", metavar="TỆP", help="tệp sao lưu (.tar.gz hoặc .zip)"
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="ghi đè cả khi CSDL hiện tại đã có dữ liệu",
        )
        parser.add_argument(
            "--database",
            default="default",
            help="CSDL trong DATABASES (mặc định: default)",
        )

    def handle(self, *args, **options):
        try:
            result = restore_backup(
                options["file"], force=options["force"], using=options["database"]
            )
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        migrated = (
            f"đã cập nhật CSDL lên phiên bản hiện tại ({len(result.migrations_applied)} migration)"
            if result.migrations_applied
            else "CSDL đã ở phiên bản hiện tại"
        )
        self.stdout.write(
            f"Đã khôi phục từ {result.path.name} (sao lưu lúc {result.created_at}, "
            f"Loa {result.loa_version}): CSDL {ENGINE_NAMES[result.engine]}, "
            f"{result.media_files} tệp đính kèm, {result.index_files} tệp chỉ mục; "
            f"{migrated}."
        )
