"""The periodic report as the document a ward sends (Nghị định 30/2020/NĐ-CP layout).

`report_document` builds one structure from the draft's words and freshly computed
figures; the .docx, PDF and .xlsx renderers all read that same structure, so the three
files cannot disagree. Figures are never taken from the draft.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils import timezone

from loa.learning.selectors import learning_totals
from loa.plans.models import Plan, Task
from loa.vn import format_date, format_date_short, format_number, nfc

from .budget import budget_by_source, budget_lines
from .figures import assistant_figures, by_form, by_unit, status_totals, task_rows
from .metrics import activities_in, indicator_list_progress
from .models import ReportDraft
from .tables import FORM_SHEET, UNIT_SHEET, form_table, unit_table

ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII"]


@dataclass
class Block:
    kind: str  # heading | subheading | paragraph | table
    text: str = ""
    header: list[str] = field(default_factory=list)
    rows: list[list] = field(default_factory=list)
    sheet: str = ""  # the .xlsx sheet this table goes to
    xlsx_only: bool = False  # figures behind the text, too long to print in the report


@dataclass
class ReportDocument:
    issuer_lines: list[str]
    number_line: str
    place_date: str
    doc_type: str
    subject: str
    blocks: list[Block]
    recipients: list[str]
    signature_lines: list[str]
    signer: str
    filename_stem: str

    @property
    def tables(self) -> list[Block]:
        return [b for b in self.blocks if b.kind == "table"]

    @property
    def printed_blocks(self) -> list[Block]:
        return [b for b in self.blocks if not b.xlsx_only]


def _paragraphs(text: str) -> list[str]:
    return [nfc(p.strip()) for p in (text or "").splitlines() if p.strip()]


def _n(value) -> str:
    return format_number(value)


def draft_defaults(plan: Plan, start: date, end: date) -> dict:
    """The words a new draft starts with; staff change them before export."""
    ward = plan.ward
    position = nfc(plan.signer_position).upper() or "PHÓ CHỦ TỊCH"
    return {
        "recipients": "\n".join(
            [
                "Ban Tuyên giáo và Dân vận Thành ủy (để báo cáo);",
                "Sở Khoa học và Công nghệ (để báo cáo);",
                f"Thường trực Đảng ủy {ward.display_name} (để báo cáo);",
                "Chủ tịch, các Phó Chủ tịch UBND phường;",
                "Các đơn vị thuộc Kế hoạch;",
                "Lưu: VT, VHXH.",
            ]
        ),
        "signer": plan.signer,
        "signer_position": position,
        # The chairman signs for the committee; a deputy signs "KT. CHỦ TỊCH".
        "signing_authority": "" if position == "CHỦ TỊCH" else "KT. CHỦ TỊCH",
    }


def _plan_reference(plan: Plan) -> str:
    text = f"Kế hoạch số {plan.number}" if plan.number else "Kế hoạch"
    if plan.issued_date:
        text += f" ngày {format_date_short(plan.issued_date)}"
    text += f" của Ủy ban nhân dân {plan.ward.display_name}"
    title = plan.title.strip().rstrip(".")
    if title:
        title = title[0].lower() + title[1:]
        text += f" {title}" if title.startswith("về ") else f" về {title}"
    return text


def period_name(start: date, end: date) -> str:
    """ "quý I năm 2026", "6 tháng đầu năm 2026"… when the period is one a ward reports on."""
    next_day = end + timedelta(days=1)
    if start.day == 1 and next_day.day == 1 and start.year == end.year:
        months = (end.month - start.month) + 1
        year = start.year
        if months == 12:
            return f"năm {year}"
        if months == 6:
            return f"6 tháng {'đầu' if start.month == 1 else 'cuối'} năm {year}"
        if months == 9 and start.month == 1:
            return f"9 tháng đầu năm {year}"
        if months == 3 and start.month in (1, 4, 7, 10):
            return f"quý {ROMAN[start.month // 3]} năm {year}"
        if months == 1:
            return f"tháng {start.month:02d} năm {year}"
    return f"từ ngày {format_date_short(start)} đến ngày {format_date_short(end)}"


def _form_sentence(row: dict) -> str:
    count = row["count"]
    key = row["form"]
    if key == "hoi_nghi":
        return f"Tổ chức {_n(count)} hội nghị, hội thảo, tọa đàm với {_n(row['attendees'])} lượt người tham dự."
    if key == "phat_thanh":
        text = f"Phát {_n(count)} chuyên mục, bản tin trên hệ thống truyền thanh cơ sở"
        return text + (
            f", ước {_n(row['reach'])} lượt người nghe." if row["reach"] else "."
        )
    if key == "nen_tang_so":
        text = f"Đăng {_n(count)} tin, bài trên Cổng thông tin điện tử và các nền tảng số (Zalo, Facebook, YouTube)"
        return text + (
            f", đạt {_n(row['reach'])} lượt tiếp cận." if row["reach"] else "."
        )
    if key == "truc_quan":
        return f"Thực hiện {_n(count)} đợt tuyên truyền trực quan, ấn phẩm in với {_n(row['copies'])} sản phẩm (băng-rôn, pa-nô, áp phích, tờ rơi)."
    if key == "hoc_vu_so":
        return f"Mở {_n(count)} lớp, buổi hướng dẫn kỹ năng số với {_n(row['attendees'])} lượt người học."
    if key == "to_cong_nghe_so":
        return f"Thực hiện {_n(count)} đợt hỗ trợ, giúp {_n(row['households'])} hộ, người dân sử dụng dịch vụ số."
    return f"Thực hiện {_n(count)} hoạt động khác."


def report_document(draft: ReportDraft) -> ReportDocument:
    plan = draft.plan
    ward = plan.ward
    start, end = draft.period_from, draft.period_to
    activities = activities_in([ward], start, end, plan=plan)
    forms = by_form(activities)
    units = by_unit(activities)
    rows = task_rows([ward], end, plan=plan)
    statuses = status_totals(rows)
    assistant = assistant_figures([ward], start, end)
    learning = learning_totals(wards=[ward], start=start, end=end)
    progress = indicator_list_progress(plan, start, end)
    budget = budget_by_source(budget_lines([ward], start, end))
    narratives = {n.unit.name: n.text for n in draft.narratives.select_related("unit")}

    blocks: list[Block] = []
    section = iter(ROMAN)

    def heading(text):
        blocks.append(Block("heading", f"{next(section)}. {text}"))

    def para(text):
        blocks.append(Block("paragraph", nfc(text)))

    total = sum(r["count"] for r in forms)
    heading("KẾT QUẢ THỰC HIỆN")
    blocks.append(Block("subheading", "1. Công tác lãnh đạo, chỉ đạo, triển khai"))
    intro = _paragraphs(draft.introduction) or [
        f"Thực hiện {_plan_reference(plan)}, Ủy ban nhân dân phường đã giao nhiệm vụ cụ thể "
        f"cho {_n(len({r.task.unit_id for r in rows}))} đơn vị với {_n(len(rows))} nhiệm vụ; "
        "các đơn vị chủ động xây dựng nội dung, hình thức tuyên truyền phù hợp với từng nhóm đối tượng."
    ]
    for text in intro:
        para(text)
    period = period_name(start, end)
    para(
        f"Trong kỳ báo cáo ({period}), các đơn vị đã thực hiện {_n(total)} hoạt động tuyên truyền, cụ thể như sau:"
    )

    blocks.append(Block("subheading", "2. Kết quả theo hình thức tuyên truyền"))
    letters = "abcdefgh"
    for i, row in enumerate(r for r in forms if r["count"]):
        para(f"{letters[i]}) {row['label']}: {_form_sentence(row)}")
    if assistant["questions"]:
        para(
            f"Trợ lý ảo của phường trả lời {_n(assistant['questions'])} lượt hỏi của người dân, "
            f"trong đó {_n(assistant['answered'])} lượt ({assistant['share']}%) có câu trả lời từ kho tri thức."
        )
    if learning["learners"] or learning["certificates"]:
        para(
            f"Phong trào \u201cBình dân học vụ số\u201d có thêm {_n(learning['learners'])} học viên đăng ký, "
            f"{_n(learning['certificates'])} giấy chứng nhận hoàn thành được cấp; "
            f"Tổ công nghệ số cộng đồng ghi nhận {_n(learning['visits'])} lượt hỗ trợ tại nhà cho {_n(learning['people_helped'])} người."
        )
    header, table_rows = form_table(forms)
    blocks.append(
        Block(
            "table",
            "Bảng 1. Kết quả theo hình thức tuyên truyền",
            header,
            table_rows,
            sheet=FORM_SHEET,
        )
    )

    blocks.append(Block("subheading", "3. Kết quả thực hiện chỉ tiêu"))
    if progress:
        met = sum(p.met for p in progress)
        para(f"Đạt {_n(met)}/{_n(len(progress))} chỉ tiêu của kỳ báo cáo.")
        blocks.append(
            Block(
                "table",
                "Bảng 2. Chỉ tiêu và kết quả",
                ["Chỉ tiêu", "Chỉ tiêu kỳ", "Thực hiện", "Tỉ lệ (%)"],
                [[p.indicator.name, p.target, p.actual, p.percent] for p in progress],
                sheet="Chỉ tiêu",
            )
        )
    else:
        para("Kế hoạch chưa đặt chỉ tiêu định lượng.")

    blocks.append(Block("subheading", "4. Kết quả của các đơn vị"))
    unit_names = sorted({r.task.unit.name for r in rows} | {u["unit"] for u in units})
    unit_figures = {u["unit"]: u for u in units}
    for name in unit_names:
        figures = unit_figures.get(name, {"count": 0})
        unit_tasks = [r for r in rows if r.task.unit.name == name]
        done = sum(r.status == Task.Status.DONE for r in unit_tasks)
        para(
            f"- {name}: {_n(figures['count'])} hoạt động; "
            f"{_n(done)}/{_n(len(unit_tasks))} nhiệm vụ đã hoàn thành."
        )
        for text in _paragraphs(narratives.get(name, "")):
            para(text)
    header, table_rows = unit_table(units)
    blocks.append(
        Block(
            "table",
            "Bảng 3. Kết quả theo đơn vị",
            header,
            table_rows,
            sheet=UNIT_SHEET,
        )
    )

    blocks.append(Block("subheading", "5. Kinh phí thực hiện"))
    if budget:
        for line in budget:
            para(
                f"- {line.source}: dự toán {_n(line.planned)} đồng; đã chi trong kỳ {_n(line.spent)} đồng; "
                f"lũy kế từ đầu năm {_n(line.spent_year)} đồng; còn lại {_n(line.balance)} đồng."
            )
        blocks.append(
            Block(
                "table",
                "Bảng 4. Kinh phí theo nguồn (đồng)",
                ["Nguồn kinh phí", "Dự toán", "Chi trong kỳ", "Lũy kế năm", "Còn lại"],
                [
                    [
                        b.source,
                        int(b.planned),
                        int(b.spent),
                        int(b.spent_year),
                        int(b.balance),
                    ]
                    for b in budget
                ],
                sheet="Kinh phí",
            )
        )
    else:
        para("Chưa ghi nhận dự toán và khoản chi trong kỳ.")

    heading("NHIỆM VỤ CHƯA HOÀN THÀNH, QUÁ HẠN")
    status_text = "; ".join(f"{s['label'].lower()}: {_n(s['count'])}" for s in statuses)
    para(f"Tổng số {_n(len(rows))} nhiệm vụ ({status_text}).")
    pending = [
        r for r in rows if r.status in (Task.Status.OVERDUE, Task.Status.NOT_STARTED)
    ]
    for r in sorted(
        pending, key=lambda r: (r.status != Task.Status.OVERDUE, r.task.unit.name)
    ):
        due = f", hạn {format_date_short(r.task.due_date)}" if r.task.due_date else ""
        para(f"- {r.task.unit.name}: {r.task.text} ({r.label.lower()}{due}).")
    if not pending:
        para("Không có nhiệm vụ quá hạn hoặc chưa triển khai.")
    blocks.append(
        Block(
            "table",
            "Bảng 5. Nhiệm vụ theo trạng thái",
            [
                "Đơn vị",
                "Nhiệm vụ",
                "Trạng thái",
                "Hạn",
                "Hoạt động gần nhất",
                "Số hoạt động",
            ],
            [
                [
                    r.task.unit.name,
                    r.task.text,
                    r.label,
                    format_date_short(r.task.due_date) if r.task.due_date else "",
                    format_date_short(r.last_activity) if r.last_activity else "",
                    r.activity_count,
                ]
                for r in rows
            ],
            sheet="Nhiệm vụ",
            xlsx_only=True,
        )
    )

    heading("KHÓ KHĂN, VƯỚNG MẮC")
    for text in _paragraphs(draft.difficulties) or ["Không có."]:
        para(text)

    commendations = list(draft.commendations.select_related("unit"))
    heading("BIỂU DƯƠNG TẬP THỂ, CÁ NHÂN TIÊU BIỂU")
    if commendations:
        for c in commendations:
            where = f" ({c.unit.name})" if c.unit and c.unit.name != c.name else ""
            para(f"- {c.get_kind_display()} {c.name}{where}: {nfc(c.reason.strip())}")
        blocks.append(
            Block(
                "table",
                "",
                ["Loại", "Tập thể, cá nhân", "Đơn vị", "Thành tích"],
                [
                    [
                        c.get_kind_display(),
                        c.name,
                        c.unit.name if c.unit else "",
                        c.reason,
                    ]
                    for c in commendations
                ],
                sheet="Biểu dương",
                xlsx_only=True,
            )
        )
    else:
        para("Chưa có đề xuất biểu dương trong kỳ.")

    if _paragraphs(draft.next_steps):
        heading("NHIỆM VỤ TRỌNG TÂM THỜI GIAN TỚI")
        for text in _paragraphs(draft.next_steps):
            para(text)

    heading("ĐỀ XUẤT, KIẾN NGHỊ")
    for text in _paragraphs(draft.proposals) or ["Không có."]:
        para(text)

    reference = _plan_reference(plan).split(" của ")[0]
    closing = (
        f"kết quả thực hiện {reference} ({period})"
        if period.startswith("từ ngày")
        else f"kết quả {period} thực hiện {reference}"
    )
    para(f"Trên đây là báo cáo {closing} của Ủy ban nhân dân {ward.display_name}./.")

    issued = draft.issued_date or timezone.localdate()
    place = plan.place or ward.name
    signature = ["TM. ỦY BAN NHÂN DÂN"]
    if draft.signing_authority.strip():
        signature.append(draft.signing_authority.strip().upper())
    if draft.signer_position.strip():
        signature.append(draft.signer_position.strip().upper())
    if period.startswith("từ ngày"):
        subject = f"Kết quả thực hiện {_plan_reference(plan)} ({period})"
    else:
        subject = f"Kết quả {period} thực hiện {_plan_reference(plan)}"
    return ReportDocument(
        issuer_lines=["ỦY BAN NHÂN DÂN", ward.display_name.upper()],
        number_line=f"Số: {draft.number.strip()}"
        if draft.number.strip()
        else "Số:        /BC-UBND",
        place_date=f"{place}, {format_date(issued)}",
        doc_type="BÁO CÁO",
        subject=nfc(subject),
        blocks=blocks,
        recipients=_paragraphs(draft.recipients),
        signature_lines=signature,
        signer=nfc(draft.signer.strip()),
        filename_stem=f"bao-cao-{(plan.number or str(plan.pk)).replace('/', '-')}-{start:%Y%m%d}-{end:%Y%m%d}",
    )
