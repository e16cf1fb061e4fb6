"""Tables that the dashboard's workbook and the periodic report both print.

One header and one row layout per table, so the .xlsx a leader downloads from the
dashboard and the report the ward sends cannot lay out the same figures differently.
"""

# The five figures of a group of activities, after the group's name.
ACTIVITY_FIGURES = [
    ("count", "Số hoạt động"),
    ("attendees", "Lượt người dự"),
    ("copies", "Sản phẩm"),
    ("reach", "Lượt tiếp cận"),
    ("households", "Hộ, người được hỗ trợ"),
]

FORM_SHEET = "Theo hình thức"
UNIT_SHEET = "Theo đơn vị"


def _activity_table(
    rows: list[dict], name_key: str, name_label: str
) -> tuple[list[str], list[list]]:
    header = [name_label] + [label for _, label in ACTIVITY_FIGURES]
    body = [[row[name_key]] + [row[key] for key, _ in ACTIVITY_FIGURES] for row in rows]
    return header, body


def form_table(by_form: list[dict]) -> tuple[list[str], list[list]]:
    """Return the header and rows of the "Theo hình thức" table from `figures.by_form`."""
    return _activity_table(by_form, "label", "Hình thức")


def unit_table(by_unit: list[dict]) -> tuple[list[str], list[list]]:
    """Return the header and rows of the "Theo đơn vị" table from `figures.by_unit`."""
    return _activity_table(by_unit, "unit", "Đơn vị")
