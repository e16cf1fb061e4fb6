"""`loa backup -o FILE`: one archive with the database, media files and indexes."""

from django.core.management.base import BaseCommand, CommandError

from loa.ops.backup import ENGINE_NAMES, BackupError, create_backup


class Command(BaseCommand):
    help = (
        "Sao lưu CSDL, tệp đính kèm (media) và chỉ mục trợ lý vào một tệp .tar.gz "
        "hoặc .zip (không chứa SECRET_KEY hay biến môi trường)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "-o",
            "--output",
            required=True,
            metavar="TỆP",
            help="tệp sao lưu cần tạo, đuôi .tar.gz hoặc .zip",
        )
        parser.add_argument(
            "--database",
            default="default",
            help="CSDL trong DATABASES (mặc định: default)",
        )

    def handle(self, *args, **options):
        try:
            result = create_backup(options["output"], using=options["database"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Đã sao lưu vào {result.path} ({_size(result.size)}): "
            f"CSDL {ENGINE_NAMES[result.engine]}, {result.media_files} tệp đính kèm, "
            f"{result.index_files} tệp chỉ mục."
        )


def _size(n: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return (
                f"{n:.0f} {unit}"
                if unit == "B"
                else f"{n:.1f} {unit}".replace(".", ",")
            )
        n /= 1024
    return f"{n} B"
