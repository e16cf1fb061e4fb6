"""The headline figures, each defined once with the words that say how it is counted.

The dashboard's cards, its workbook's "Tổng hợp" sheet, the report's sentences and its
workbook's "Số liệu chính" sheet all read `headline_figures`, so the same figure reads
the same wherever it is shown, with its definition beside it ("tính từ: …").

The forms of communication (`figures.by_form`, one row per form, each activity counted
once) give the communication figures: the card "lượt phát thanh" is the row
"Hệ thống truyền thanh cơ sở", never a second count. Learning figures come from
`loa.learning.selectors`, the assistant's from `loa.assistant.selectors`.
"""

from dataclasses import dataclass
from datetime import date

from loa.assistant.selectors import assistant_definitions
from loa.learning.selectors import learning_definitions
from loa.plans.selectors import SILENT_DAYS
from loa.vn import format_number

from .metrics import FORM_DEFINITIONS


@dataclass(frozen=True)
class Figure:
    key: str
    value: int
    label: str  # the words after the number: "lượt phát thanh"
    definition: str  # "tính từ: …"
    detail: str = ""  # a second number read with it: "205 sản phẩm"

    @property
    def text(self) -> str:
        """ "11 đợt trực quan, in ấn (205 sản phẩm)"."""
        text = f"{format_number(self.value)} {self.label}"
        return f"{text} ({self.detail})" if self.detail else text


def _period(start: date, end: date) -> str:
    return f"từ {start:%d/%m/%Y} đến {end:%d/%m/%Y}"


def headline_figures(
    *,
    start: date,
    end: date,
    as_of: date,
    rows: list,
    forms: list[dict],
    learning: dict,
    assistant: dict,
    ward_wide_note: str = "",
) -> dict[str, Figure]:
    """The headline figures in the order they are shown.

    `rows` are `figures.task_rows`, `forms` `figures.by_form`, `learning` and
    `assistant` the totals of their apps' selectors, all for the same period.
    `ward_wide_note` is added to the figures not split by unit (learning, assistant)
    when the reader looks at one unit.
    """
    period = _period(start, end)
    form = {row["form"]: row for row in forms}
    n = format_number
    learning_words = learning_definitions(start=start, end=end)
    assistant_words = assistant_definitions(start=start, end=end)
    support, visits = form["to_cong_nghe_so"], learning["visits"]
    figures = [
        Figure(
            "tasks",
            len(rows),
            "nhiệm vụ",
            f"tính từ: nhiệm vụ của các kế hoạch đang thực hiện, trạng thái tính đến "
            f"{as_of:%d/%m/%Y}",
        ),
        Figure(
            "urging",
            sum(r.needs_urging for r in rows),
            "nhiệm vụ cần đôn đốc",
            "tính từ: nhiệm vụ quá hạn, chưa có hoạt động nào, hoặc không có hoạt động "
            f"trong tuần, tháng, quý đang theo dõi hay trong {SILENT_DAYS} ngày, tính đến "
            f"{as_of:%d/%m/%Y}",
        ),
        Figure(
            "activities",
            sum(row["count"] for row in forms),
            "hoạt động",
            f"tính từ: mọi hoạt động các đơn vị đã ghi nhận, ngày thực hiện {period}",
        ),
        Figure(
            "articles",
            form["nen_tang_so"]["count"],
            "tin, bài trên cổng thông tin và nền tảng số",
            FORM_DEFINITIONS["nen_tang_so"],
        ),
        Figure(
            "radio",
            form["phat_thanh"]["count"],
            "lượt phát thanh",
            FORM_DEFINITIONS["phat_thanh"]
            + "; lưu trữ phát thanh chỉ gồm chuyên mục dựng và duyệt trong Loa",
        ),
        Figure(
            "print_runs",
            form["truc_quan"]["count"],
            "đợt trực quan, in ấn",
            FORM_DEFINITIONS["truc_quan"],
            f"{n(form['truc_quan']['copies'])} sản phẩm",
        ),
        Figure(
            "conferences",
            form["hoi_nghi"]["count"],
            "hội nghị, hội thảo, tọa đàm",
            FORM_DEFINITIONS["hoi_nghi"],
            f"{n(form['hoi_nghi']['attendees'])} lượt người dự",
        ),
        Figure(
            "classes",
            form["hoc_vu_so"]["count"],
            "lớp, buổi hướng dẫn kỹ năng số",
            FORM_DEFINITIONS["hoc_vu_so"],
            f"{n(form['hoc_vu_so']['attendees'])} lượt người học",
        ),
        Figure(
            "learners",
            learning["learners"],
            "học viên mới “Bình dân học vụ số”",
            learning_words["learners"] + ward_wide_note,
        ),
        Figure(
            "certificates",
            learning["certificates"],
            "giấy chứng nhận",
            learning_words["certificates"] + ward_wide_note,
        ),
        Figure(
            "support",
            support["count"],
            "lượt hỗ trợ người dân",
            FORM_DEFINITIONS["to_cong_nghe_so"],
            f"{n(support['households'])} hộ, người",
        ),
        Figure(
            "visits",
            visits,
            "lượt Tổ công nghệ số cộng đồng hỗ trợ tại nhà",
            learning_words["visits"]
            + "; mỗi phiếu cũng là một “lượt hỗ trợ người dân”"
            + ward_wide_note,
            f"{n(learning['people_helped'])} người",
        ),
        Figure(
            "questions",
            assistant["questions"],
            "lượt hỏi trợ lý ảo",
            assistant_words["questions"] + ward_wide_note,
            f"{assistant['share']}% trả lời được",
        ),
    ]
    return {f.key: f for f in figures}
