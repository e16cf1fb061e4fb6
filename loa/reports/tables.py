"""The report's tables, each described once: caption, sheet and columns.

A `TableSpec` names each column beside the way its cell is read from one item, so a
header and its rows cannot drift apart. `TableSpec.build` gives the `Table` that every
writer reads: the .docx and the PDF print it under its caption (unless it is only for
the workbook), the .xlsx writes it to its own sheet. The dashboard's workbook writes the
"Theo hình thức" table from the same spec, so the two files cannot lay out the same
figures differently.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from operator import itemgetter
from typing import Any, ClassVar

from loa.vn import format_date_short


@dataclass
class Table:
    """A table of figures as the writers read it; one of a ReportDocument's blocks."""

    kind: ClassVar[str] = "table"
    text: str  # the caption printed above it ("" for none), a block's text
    sheet: str  # the .xlsx sheet it goes to
    header: list[str]
    rows: list[list]
    xlsx_only: bool = False  # figures behind the text, too long to print in the report


@dataclass(frozen=True)
class TableSpec:
    """A table's caption, sheet and columns: (header, how to read the cell of an item)."""

    title: str
    sheet: str
    columns: tuple[tuple[str, Callable[[Any], Any]], ...]
    xlsx_only: bool = False

    @property
    def header(self) -> list[str]:
        return [label for label, _ in self.columns]

    def rows(self, items: Iterable) -> list[list]:
        """Return one row per item, a cell per column."""
        return [[cell(item) for _, cell in self.columns] for item in items]

    def build(self, items: Iterable) -> Table:
        """Return the table of these items."""
        return Table(
            self.title, self.sheet, self.header, self.rows(items), self.xlsx_only
        )


# The five figures of a group of activities, after the group's name.
ACTIVITY_FIGURES = [
    ("count", "Số hoạt động"),
    ("attendees", "Lượt người dự"),
    ("copies", "Sản phẩm"),
    ("reach", "Lượt tiếp cận"),
    ("households", "Hộ, người được hỗ trợ"),
]


def _activity_columns(name_key: str, name_label: str) -> tuple:
    return ((name_label, itemgetter(name_key)),) + tuple(
        (label, itemgetter(key)) for key, label in ACTIVITY_FIGURES
    )


def _short_date(value) -> str:
    return format_date_short(value) if value else ""


# Rows of `figures.by_form`; the dashboard's workbook writes this table too.
FORM_TABLE = TableSpec(
    title="Bảng 1. Kết quả theo hình thức tuyên truyền",
    sheet="Theo hình thức",
    columns=_activity_columns("label", "Hình thức"),
)

# Rows of `metrics.indicator_list_progress`.
INDICATOR_TABLE = TableSpec(
    title="Bảng 2. Chỉ tiêu và kết quả",
    sheet="Chỉ tiêu",
    columns=(
        ("Chỉ tiêu", lambda p: p.indicator.name),
        ("Chỉ tiêu kỳ", lambda p: p.target),
        ("Thực hiện", lambda p: p.actual),
        ("Tỉ lệ (%)", lambda p: p.percent),
    ),
)

# Rows of `figures.by_unit`.
UNIT_TABLE = TableSpec(
    title="Bảng 3. Kết quả theo đơn vị",
    sheet="Theo đơn vị",
    columns=_activity_columns("unit", "Đơn vị"),
)

# Rows of `budget.budget_by_source`.
BUDGET_TABLE = TableSpec(
    title="Bảng 4. Kinh phí theo nguồn (đồng)",
    sheet="Kinh phí",
    columns=(
        ("Nguồn kinh phí", lambda b: b.source),
        ("Dự toán", lambda b: int(b.planned)),
        ("Chi trong kỳ", lambda b: int(b.spent)),
        ("Lũy kế năm", lambda b: int(b.spent_year)),
        # Never a negative "còn lại": what was spent beyond the allocation has a column.
        ("Còn lại", lambda b: int(max(b.balance, 0))),
        ("Vượt dự toán", lambda b: int(b.overspend)),
    ),
)

# Rows of `headlines.headline_figures(...).values()`: the dashboard's workbook and the
# report's write the same figures with the same words and definitions.
HEADLINE_TABLE = TableSpec(
    title="",
    sheet="Số liệu chính",
    columns=(
        ("Số liệu", lambda f: f.label),
        ("Giá trị", lambda f: f.value),
        ("Kèm theo", lambda f: f.detail),
        ("Cách tính", lambda f: f.definition),
    ),
    xlsx_only=True,
)

# Rows of `figures.task_rows`.
TASK_TABLE = TableSpec(
    title="Bảng 5. Nhiệm vụ theo trạng thái",
    sheet="Nhiệm vụ",
    columns=(
        ("Đơn vị", lambda r: r.task.unit.name),
        ("Nhiệm vụ", lambda r: r.task.text),
        ("Trạng thái", lambda r: r.label),
        ("Hạn", lambda r: _short_date(r.task.due_date)),
        ("Hoạt động gần nhất", lambda r: _short_date(r.last_activity)),
        ("Số hoạt động", lambda r: r.activity_count),
    ),
    xlsx_only=True,
)

# Rows of `Commendation`s.
COMMENDATION_TABLE = TableSpec(
    title="",
    sheet="Biểu dương",
    columns=(
        ("Loại", lambda c: c.get_kind_display()),
        ("Tập thể, cá nhân", lambda c: c.name),
        ("Đơn vị", lambda c: c.unit.name if c.unit else ""),
        ("Thành tích", lambda c: c.reason),
    ),
    xlsx_only=True,
)
