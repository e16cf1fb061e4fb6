"""Starter items of the demo city's shared library (idempotent)."""

from .models import LibraryItem

SOURCE = "Sở Khoa học và Công nghệ thành phố Hải Phòng"
ITEMS = [
    (
        LibraryItem.Kind.PLAN_TEMPLATE,
        "Mẫu kế hoạch tuyên truyền \u201cBình dân học vụ số\u201d năm 2027",
        "Khung nhiệm vụ cho phường, xã; phường điền số, ngày và người ký.",
        "Phòng Văn hóa - Xã hội | Chủ trì xây dựng nội dung tuyên truyền phong trào \u201cBình dân học vụ số\u201d | Chủ trì\n"
        "Phòng Văn hóa - Xã hội | Theo dõi, tổng hợp kết quả, báo cáo UBND phường | Chủ trì | Hằng tháng\n"
        "Trung tâm Dịch vụ sự nghiệp công | Phát chuyên mục \u201cChuyển đổi số\u201d trên hệ thống truyền thanh | Chủ trì | Hằng tuần\n"
        "Ủy ban MTTQ phường | Vận động hội viên, đoàn viên tham gia Tổ công nghệ số cộng đồng | Phối hợp\n",
    ),
    (
        LibraryItem.Kind.RADIO,
        "Bản tin: Cảnh giác với cuộc gọi giả danh cơ quan nhà nước",
        "Bản tin phát thanh khoảng 1 phút.",
        "Thời gian gần đây, kẻ gian giả danh cán bộ công an, thuế, điện lực gọi điện yêu cầu người dân cài ứng dụng lạ hoặc chuyển tiền.\n"
        "Cơ quan nhà nước không yêu cầu người dân chuyển tiền hay cung cấp mã OTP qua điện thoại.\n"
        "Khi nghi ngờ, bà con hãy gọi đến công an phường hoặc hỏi Tổ công nghệ số cộng đồng của tổ dân phố mình.",
    ),
    (
        LibraryItem.Kind.ARTICLE,
        "Thành phố đẩy mạnh thanh toán không dùng tiền mặt tại chợ dân sinh",
        "Các chợ dân sinh trên địa bàn thành phố triển khai thanh toán bằng mã QR.",
        "Thực hiện Nghị quyết số 57-NQ/TW, thành phố khuyến khích tiểu thương tại các chợ dân sinh nhận thanh toán bằng mã QR.\n"
        "Người dân chỉ cần dùng ứng dụng ngân hàng hoặc ví điện tử để quét mã, kiểm tra đúng tên người bán trước khi xác nhận.\n"
        "Tổ công nghệ số cộng đồng ở các tổ dân phố sẵn sàng hướng dẫn bà con cài đặt và sử dụng an toàn.",
    ),
]


def library_demo_load(city: str) -> int:
    created = 0
    for kind, title, summary, body in ITEMS:
        _, was_created = LibraryItem.objects.get_or_create(
            city=city,
            title=title,
            defaults={"kind": kind, "summary": summary, "body": body, "source": SOURCE},
        )
        created += was_created
    return created
