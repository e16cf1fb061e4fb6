"""The `loa` console command: each subcommand is a Django management command."""

import os
import sys

DEFAULT_SETTINGS = (
    "loa.settings.base"  # embedded setup: DEBUG from the environment, off by default
)


def manage(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", DEFAULT_SETTINGS)
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


def main() -> None:
    """`loa plan import FILE --json` runs the management command `plan` with the rest."""
    args = sys.argv[1:]
    if not args or args[0] in {"-h", "--help", "help"}:
        sys.stdout.write(
            "Cách dùng: loa <lệnh> [tham số]\n"
            "  loa serve [--port N]            chạy ứng dụng (mặc định cổng 8000)\n"
            "  loa setup                       tạo CSDL, nạp kế hoạch mẫu và dữ liệu demo\n"
            "  loa plan import TỆP --json      đọc và phân tích một kế hoạch (không lưu)\n"
            "  loa plan import TỆP --save --ward MÃ   nhập kế hoạch vào phường\n"
            "  loa plan list --json            danh sách kế hoạch đã lưu\n"
            "  loa plan remind                 đôn đốc nhiệm vụ quá hạn, chưa có hoạt động\n"
            "  loa vn restore < vào.txt        phục hồi dấu tiếng Việt\n"
            '  loa ask "CÂU HỎI" --json         hỏi trợ lý (hoặc --batch TỆP.jsonl)\n'
            "  loa kb ingest ĐƯỜNG_DẪN          nạp tài liệu vào kho tri thức\n"
            '  loa kb search "CHUỖI" -k N --json tìm trong kho tri thức\n'
            "  loa learning stats --json       số liệu Bình dân học vụ số\n"
            '  loa radio build --week NGÀY -o TỆP.wav   chuyên mục phát thanh "Chuyển đổi số"\n'
            "  loa print poster --article MÃ -o TỆP.pdf ấn phẩm in có mã QR (poster|leaflet|banner|panel)\n"
            "  loa report --plan SỐ --from NGÀY --to NGÀY --format docx|pdf|xlsx -o TỆP   báo cáo định kỳ\n"
            "  loa worker                      tiến trình chạy việc nền (thêm tiến trình khi cần)\n"
            "  loa backup -o TỆP.tar.gz        sao lưu CSDL, tệp đính kèm, chỉ mục (.tar.gz|.zip)\n"
            "  loa restore TỆP [--force]       khôi phục bản sao lưu (dừng loa serve trước)\n"
            "  loa <lệnh quản trị Django>       mọi lệnh của manage.py\n"
        )
        return
    manage(["loa", *args])
