"""The periodic report as the document a ward sends (Nghị định 30/2020/NĐ-CP layout).

`report_document` builds one structure from the draft's words and freshly computed
figures; the .docx, PDF and .xlsx renderers all read that same structure, so the three
files cannot disagree. Figures are never taken from the draft. The figures are counted
once (`_figures`), each section has a builder of its own, and each table is described
once in `tables.py`.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone

from loa.learning.selectors import learning_totals
from loa.plans.models import Plan, Task
from loa.plans.selectors import SILENT_DAYS
from loa.vn import format_date, format_date_short, format_number, nfc

from .budget import (
    BudgetLine,
    budget_by_source,
    budget_lines,
    overspend_sentence,
    overspent_lines,
)
from .figures import (
    TaskRow,
    assistant_figures,
    by_form,
    by_unit,
    status_totals,
    task_rows,
)
from .headlines import Figure, headline_figures
from .metrics import IndicatorProgress, activities_in, indicator_list_progress
from .models import ReportDraft
from .tables import (
    BUDGET_TABLE,
    COMMENDATION_TABLE,
    FORM_TABLE,
    HEADLINE_TABLE,
    INDICATOR_TABLE,
    TASK_TABLE,
    UNIT_TABLE,
    Table,
)

ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII"]


@dataclass
class Block:
    """A heading, subheading or paragraph; tables are `tables.Table` blocks."""

    kind: str  # heading | subheading | paragraph
    text: str = ""


@dataclass
class ReportDocument:
    issuer_lines: list[str]
    number_line: str
    place_date: str
    doc_type: str
    subject: str
    blocks: list[Block | Table]
    recipients: list[str]
    signature_lines: list[str]
    signer: str
    filename_stem: str

    @property
    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]

    @property
    def printed_blocks(self) -> list[Block | Table]:
        return [b for b in self.blocks if not (isinstance(b, Table) and b.xlsx_only)]


def _paragraphs(text: str) -> list[str]:
    return [nfc(p.strip()) for p in (text or "").splitlines() if p.strip()]


def _para(text: str) -> Block:
    return Block("paragraph", nfc(text))


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
            # "tháng 3 năm 2026", "tháng 02 năm 2026": the month as format_date writes it.
            return "tháng " + format_date(start).split(" tháng ", 1)[1]
    return f"từ ngày {format_date_short(start)} đến ngày {format_date_short(end)}"


def _form_sentence(row: dict) -> str:
    count = row["count"]
    key = row["form"]
    if key == "hoi_nghi":
        return f"Tổ chức {_n(count)} hội nghị, hội thảo, tọa đàm với {_n(row['attendees'])} lượt người tham dự."
    if key == "phat_thanh":
        text = f"Thực hiện {_n(count)} lượt phát thanh (chuyên mục, bản tin) trên hệ thống truyền thanh cơ sở"
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
        return f"Thực hiện {_n(count)} lượt hỗ trợ, giúp {_n(row['households'])} hộ, người dân sử dụng dịch vụ số."
    return f"Thực hiện {_n(count)} hoạt động khác."


def _learning_sentence(row: dict, h: dict[str, Figure]) -> str:
    """ "Bình dân học vụ số": its classes (activities) and its learners, one sentence."""
    learners, certificates = h["learners"].value, h["certificates"].value
    classes = (
        _form_sentence(row)[:-1]
        if row["count"]
        else "Chưa ghi nhận lớp, buổi hướng dẫn trực tiếp"
    )
    return (
        f"{classes}; {_n(learners)} học viên đăng ký học, "
        f"{_n(certificates)} giấy chứng nhận hoàn thành được cấp."
    )


def _support_sentence(row: dict, h: dict[str, Figure]) -> str:
    """Help given to residents, with the community digital teams' share of it."""
    visits = h["visits"]
    teams = (
        f"Tổ công nghệ số cộng đồng {_n(visits.value)} lượt hỗ trợ tại nhà "
        f"cho {visits.detail}"
    )
    if not visits.value:
        return _form_sentence(row)
    if row["count"] >= visits.value:  # each visit is one of the activities
        return _form_sentence(row)[:-1] + f"; trong đó {teams}."
    # Visits recorded without their activity (no plan task set for them).
    if not row["count"]:
        return f"{teams}."
    return f"{_form_sentence(row)[:-1]}; {teams}."


# ---------------------------------------------------------------- the figures


@dataclass
class _Figures:
    """Everything the report counts, computed once per export from the records."""

    draft: ReportDraft
    plan: Plan
    start: date
    end: date
    period: str
    forms: list[dict]
    units: list[dict]
    rows: list[TaskRow]
    statuses: list[dict]
    assistant: dict
    learning: dict
    progress: list[IndicatorProgress]
    budget: list[BudgetLine]
    budget_units: list[BudgetLine]
    headlines: dict[str, Figure]
    narratives: dict[str, str]


def _figures(draft: ReportDraft) -> _Figures:
    plan = draft.plan
    ward = plan.ward
    start, end = draft.period_from, draft.period_to
    activities = activities_in([ward], start, end, plan=plan)
    rows = task_rows([ward], end, plan=plan)
    forms = by_form(activities)
    assistant = assistant_figures([ward], start, end)
    learning = learning_totals(wards=[ward], start=start, end=end)
    units_budget = budget_lines([ward], start, end)
    return _Figures(
        draft=draft,
        plan=plan,
        start=start,
        end=end,
        period=period_name(start, end),
        forms=forms,
        units=by_unit(activities),
        rows=rows,
        statuses=status_totals(rows),
        assistant=assistant,
        learning=learning,
        progress=indicator_list_progress(plan, start, end),
        budget=budget_by_source(units_budget),
        budget_units=units_budget,
        headlines=headline_figures(
            start=start,
            end=end,
            as_of=min(end, timezone.localdate()),
            rows=rows,
            forms=forms,
            learning=learning,
            assistant=assistant,
        ),
        narratives={
            n.unit.name: n.text for n in draft.narratives.select_related("unit")
        },
    )


# ---------------------------------------------------------------- I. results


def _leadership(f: _Figures) -> list[Block]:
    """1. How the plan was put to work, and how much was done in the period."""
    total = sum(r["count"] for r in f.forms)
    intro = _paragraphs(f.draft.introduction) or [
        f"Thực hiện {_plan_reference(f.plan)}, Ủy ban nhân dân phường đã giao nhiệm vụ cụ thể "
        f"cho {_n(len({r.task.unit_id for r in f.rows}))} đơn vị với {_n(len(f.rows))} nhiệm vụ; "
        "các đơn vị chủ động xây dựng nội dung, hình thức tuyên truyền phù hợp với từng nhóm đối tượng."
    ]
    return [
        Block("subheading", "1. Công tác lãnh đạo, chỉ đạo, triển khai"),
        *(_para(text) for text in intro),
        _para(
            f"Trong kỳ báo cáo ({f.period}), các đơn vị đã thực hiện {_n(total)} hoạt động tuyên truyền, cụ thể như sau:"
        ),
    ]


def _by_form(f: _Figures) -> list[Block | Table]:
    """2. One sentence per form of communication, the assistant and learning; Bảng 1."""
    blocks: list[Block | Table] = [
        Block("subheading", "2. Kết quả theo hình thức tuyên truyền")
    ]
    letters = iter("abcdefgh")
    h = f.headlines
    shown = {
        "hoc_vu_so": h["learners"].value or h["certificates"].value,
        "to_cong_nghe_so": h["visits"].value,
    }
    for row in f.forms:
        if not (row["count"] or shown.get(row["form"])):
            continue
        if row["form"] == "hoc_vu_so":
            sentence = _learning_sentence(row, h)
        elif row["form"] == "to_cong_nghe_so":
            sentence = _support_sentence(row, h)
        else:
            sentence = _form_sentence(row)
        blocks.append(_para(f"{next(letters)}) {row['label']}: {sentence}"))
    assistant = f.assistant
    if assistant["questions"]:
        blocks.append(
            _para(
                f"Trợ lý ảo của phường trả lời {_n(assistant['questions'])} lượt hỏi của người dân, "
                f"trong đó {_n(assistant['answered'])} lượt ({assistant['share']}%) có câu trả lời từ kho tri thức."
            )
        )
    blocks.append(FORM_TABLE.build(f.forms))
    # The headline figures with how each is counted, as on the dashboard (workbook).
    blocks.append(HEADLINE_TABLE.build(h.values()))
    return blocks


def _indicators(f: _Figures) -> list[Block | Table]:
    """3. How many indicators were met; Bảng 2."""
    heading = Block("subheading", "3. Kết quả thực hiện chỉ tiêu")
    if not f.progress:
        return [heading, _para("Kế hoạch chưa đặt chỉ tiêu định lượng.")]
    met = sum(p.met for p in f.progress)
    return [
        heading,
        _para(f"Đạt {_n(met)}/{_n(len(f.progress))} chỉ tiêu của kỳ báo cáo."),
        INDICATOR_TABLE.build(f.progress),
    ]


def _units(f: _Figures) -> list[Block | Table]:
    """4. Each unit's activities and finished tasks, then its own words; Bảng 3."""
    blocks: list[Block | Table] = [Block("subheading", "4. Kết quả của các đơn vị")]
    unit_names = sorted(
        {r.task.unit.name for r in f.rows} | {u["unit"] for u in f.units}
    )
    unit_figures = {u["unit"]: u for u in f.units}
    for name in unit_names:
        figures = unit_figures.get(name, {"count": 0})
        unit_tasks = [r for r in f.rows if r.task.unit.name == name]
        done = sum(r.status == Task.Status.DONE for r in unit_tasks)
        blocks.append(
            _para(
                f"- {name}: {_n(figures['count'])} hoạt động; "
                f"{_n(done)}/{_n(len(unit_tasks))} nhiệm vụ đã hoàn thành."
            )
        )
        blocks += [_para(text) for text in _paragraphs(f.narratives.get(name, ""))]
    blocks.append(UNIT_TABLE.build(f.units))
    return blocks


def _budget(f: _Figures) -> list[Block | Table]:
    """5. Allocation, spending and balance by source; Bảng 4."""
    heading = Block("subheading", "5. Kinh phí thực hiện")
    if not f.budget:
        return [heading, _para("Chưa ghi nhận dự toán và khoản chi trong kỳ.")]

    def remaining(line: BudgetLine) -> str:
        if line.overspent:
            return f"vượt dự toán {_n(line.overspend)} đồng"
        return f"còn lại {_n(line.balance)} đồng"

    blocks: list[Block | Table] = [heading]
    blocks += [
        _para(
            f"- {line.source}: dự toán {_n(line.planned)} đồng; đã chi trong kỳ {_n(line.spent)} đồng; "
            f"lũy kế từ đầu năm {_n(line.spent_year)} đồng; {remaining(line)}."
        )
        for line in f.budget
    ]
    # A unit over its allocation is named even when the source's total is within it.
    blocks += [
        _para(overspend_sentence(line)) for line in overspent_lines(f.budget_units)
    ]
    blocks.append(BUDGET_TABLE.build(f.budget))
    return blocks


def _results(f: _Figures) -> list[Block | Table]:
    return _leadership(f) + _by_form(f) + _indicators(f) + _units(f) + _budget(f)


# ---------------------------------------------------------------- II. to VI.


def _unfinished(f: _Figures) -> list[Block | Table]:
    """Tasks by status, the overdue and not started ones named; Bảng 5 (workbook only)."""
    status_text = "; ".join(
        f"{s['label'].lower()}: {_n(s['count'])}" for s in f.statuses
    )
    blocks: list[Block | Table] = [
        _para(f"Tổng số {_n(len(f.rows))} nhiệm vụ ({status_text}).")
    ]
    # The same tasks the dashboard lists and the urging job reminds units of.
    pending = [r for r in f.rows if r.needs_urging]
    order = [Task.Status.OVERDUE, Task.Status.NOT_STARTED, Task.Status.IN_PROGRESS]
    for r in sorted(
        pending, key=lambda r: (order.index(r.status), r.task.unit.name, r.task.order)
    ):
        blocks.append(
            _para(f"- {r.task.unit.name}: {r.task.text} ({_pending_note(r, f.end)}).")
        )
    if pending:
        blocks.insert(
            1,
            _para(
                f"Có {_n(len(pending))} nhiệm vụ cần đôn đốc (quá hạn, chưa triển khai "
                "hoặc không có hoạt động trong thời gian theo dõi):"
            ),
        )
    else:
        blocks.append(
            _para(
                "Không có nhiệm vụ quá hạn, chưa triển khai hoặc không có hoạt động "
                "trong thời gian theo dõi."
            )
        )
    blocks.append(TASK_TABLE.build(f.rows))
    return blocks


def _pending_note(row: TaskRow, end: date) -> str:
    """Why a task is named among those to urge: "quá hạn, hạn 31/05/2026"…"""
    note = row.label.lower()
    if row.status == Task.Status.OVERDUE and row.task.due_date:
        return f"{note}, hạn {format_date_short(row.task.due_date)}"
    if row.status == Task.Status.NOT_STARTED:
        return f"{note}, chưa có hoạt động nào"
    if row.task.recurrence:
        period = dict(Task.Recurrence.choices)[row.task.recurrence].lower()
        last = (
            f", lần gần nhất {format_date_short(row.last_activity)}"
            if row.last_activity
            else ""
        )
        return f"{note}, nhiệm vụ {period} chưa có hoạt động trong kỳ theo dõi{last}"
    last = format_date_short(row.last_activity) if row.last_activity else "chưa có"
    return f"{note}, không có hoạt động trong {SILENT_DAYS} ngày, lần gần nhất {last}"


def _difficulties(draft: ReportDraft) -> list[Block]:
    return [_para(text) for text in _paragraphs(draft.difficulties) or ["Không có."]]


def _commendations(draft: ReportDraft) -> list[Block | Table]:
    """The units and people staff chose, and their table (workbook only)."""
    commendations = list(draft.commendations.select_related("unit"))
    if not commendations:
        return [_para("Chưa có đề xuất biểu dương trong kỳ.")]
    blocks: list[Block | Table] = []
    for c in commendations:
        where = f" ({c.unit.name})" if c.unit and c.unit.name != c.name else ""
        blocks.append(
            _para(f"- {c.get_kind_display()} {c.name}{where}: {nfc(c.reason.strip())}")
        )
    blocks.append(COMMENDATION_TABLE.build(commendations))
    return blocks


def _next_steps(draft: ReportDraft) -> list[Block]:
    return [_para(text) for text in _paragraphs(draft.next_steps)]


def _proposals(draft: ReportDraft) -> list[Block]:
    return [_para(text) for text in _paragraphs(draft.proposals) or ["Không có."]]


def _closing(f: _Figures) -> Block:
    reference = _plan_reference(f.plan).split(" của ")[0]
    closing = (
        f"kết quả thực hiện {reference} ({f.period})"
        if f.period.startswith("từ ngày")
        else f"kết quả {f.period} thực hiện {reference}"
    )
    return _para(
        f"Trên đây là báo cáo {closing} của Ủy ban nhân dân {f.plan.ward.display_name}./."
    )


def _body(f: _Figures) -> list[Block | Table]:
    """The numbered sections (a section with nothing to say is left out) and the
    closing sentence."""
    draft = f.draft
    sections = [
        ("KẾT QUẢ THỰC HIỆN", _results(f)),
        ("NHIỆM VỤ CHƯA HOÀN THÀNH, QUÁ HẠN", _unfinished(f)),
        ("KHÓ KHĂN, VƯỚNG MẮC", _difficulties(draft)),
        ("BIỂU DƯƠNG TẬP THỂ, CÁ NHÂN TIÊU BIỂU", _commendations(draft)),
        ("NHIỆM VỤ TRỌNG TÂM THỜI GIAN TỚI", _next_steps(draft)),
        ("ĐỀ XUẤT, KIẾN NGHỊ", _proposals(draft)),
    ]
    numbers = iter(ROMAN)
    blocks: list[Block | Table] = []
    for title, section in sections:
        if section:
            blocks += [Block("heading", f"{next(numbers)}. {title}"), *section]
    blocks.append(_closing(f))
    return blocks


# ---------------------------------------------------------------- head and end


def _head(f: _Figures) -> dict:
    """Issuing body, number, place and date, type and subject."""
    draft, plan = f.draft, f.plan
    ward = plan.ward
    issued = draft.issued_date or timezone.localdate()
    place = plan.place or ward.name
    if f.period.startswith("từ ngày"):
        subject = f"Kết quả thực hiện {_plan_reference(plan)} ({f.period})"
    else:
        subject = f"Kết quả {f.period} thực hiện {_plan_reference(plan)}"
    return {
        "issuer_lines": ["ỦY BAN NHÂN DÂN", ward.display_name.upper()],
        "number_line": f"Số: {draft.number.strip()}"
        if draft.number.strip()
        else "Số:        /BC-UBND",
        "place_date": f"{place}, {format_date(issued)}",
        "doc_type": "BÁO CÁO",
        "subject": nfc(subject),
    }


def _end(draft: ReportDraft) -> dict:
    """ "Nơi nhận" and the signature block.

    "TM. ỦY BAN NHÂN DÂN" heads the block; an authority typed as "TM. …" takes its
    place instead of doubling it, and a line the block already holds is not repeated.
    """
    authority = " ".join(nfc(draft.signing_authority).split()).upper()
    signature = [] if authority.startswith("TM.") else ["TM. ỦY BAN NHÂN DÂN"]
    for line in (authority, " ".join(nfc(draft.signer_position).split()).upper()):
        if line and line not in signature:
            signature.append(line)
    return {
        "recipients": _paragraphs(draft.recipients),
        "signature_lines": signature,
        "signer": nfc(draft.signer.strip()),
    }


def report_document(draft: ReportDraft) -> ReportDocument:
    """Build the report from the draft's words and freshly computed figures."""
    f = _figures(draft)
    return ReportDocument(
        **_head(f),
        blocks=_body(f),
        **_end(draft),
        filename_stem=f"bao-cao-{(f.plan.number or str(f.plan.pk)).replace('/', '-')}-{f.start:%Y%m%d}-{f.end:%Y%m%d}",
    )
