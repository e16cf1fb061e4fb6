"""Dashboard charts drawn by pygal as inline SVG (no script, no external file).

Each chart has a table beside it in the page (the same figures), so the chart is never
the only way to read a number.
"""

import re

import pygal
from pygal.style import Style

STYLE = Style(
    background="white",
    plot_background="white",
    foreground="#1f2933",
    foreground_strong="#1f2933",
    foreground_subtle="#52606d",
    font_family="system-ui, 'Noto Sans', Arial, sans-serif",
    colors=(
        "#1f6feb",
        "#2da44e",
        "#d1242f",
        "#9a6700",
        "#8250df",
        "#57606a",
        "#0a7f8c",
        "#bf3989",
        "#6e7781",
    ),
    label_font_size=12,
    major_label_font_size=12,
    legend_font_size=12,
    title_font_size=15,
    value_font_size=11,
)
STATUS_COLORS = {
    "chua_thuc_hien": "#8c959f",
    "dang_thuc_hien": "#1f6feb",
    "qua_han": "#d1242f",
    "hoan_thanh": "#2da44e",
}


def _config(**extra) -> dict:
    return {
        "style": STYLE,
        "js": [],  # no tooltips script: it would be fetched from the internet
        "disable_xml_declaration": True,
        "explicit_size": False,
        "legend_at_bottom": True,
        "legend_at_bottom_columns": 4,
        "truncate_legend": -1,
        "legend_box_size": 10,
        "print_values": False,
        "show_y_guides": True,
        "margin": 12,
        "height": 340,
        "width": 720,
        "no_data_text": "Chưa có số liệu",
        "value_formatter": lambda v: f"{round(v or 0):,}".replace(",", "."),
    } | extra


_SCRIPT = re.compile(r"<script\b.*?</script>", re.S)


def _svg(chart) -> str:
    # pygal writes its tooltip config as an inline script; the page runs no script (CSP).
    return _SCRIPT.sub("", chart.render(is_unicode=True))


def tasks_by_status(rows: list[dict], title="Nhiệm vụ theo trạng thái") -> str:
    chart = pygal.Pie(
        **_config(
            title=title,
            inner_radius=0.45,
            style=Style(
                **{
                    **STYLE.to_dict(),
                    "colors": tuple(STATUS_COLORS[r["status"]] for r in rows),
                }
            ),
        )
    )
    for row in rows:
        chart.add(row["label"], row["count"])
    return _svg(chart)


def _short(label: str, limit: int = 32) -> str:
    """A unit's name cut at a word to fit beside the bars (the table has it whole)."""
    if len(label) <= limit:
        return label
    return label[:limit].rsplit(" ", 1)[0].rstrip(" ,-") + "…"


def tasks_by_unit(rows: list[dict], statuses: list[tuple[str, str]]) -> str:
    chart = pygal.HorizontalStackedBar(
        **_config(
            title="Nhiệm vụ theo đơn vị",
            style=Style(
                **{
                    **STYLE.to_dict(),
                    "colors": tuple(STATUS_COLORS[s] for s, _ in statuses),
                }
            ),
            height=max(260, 90 + 38 * len(rows)),
            # pygal lays the bottom legend out over the plot's width, which the unit
            # names on the left narrow: two columns, short names, so nothing overlaps.
            legend_at_bottom_columns=2,
            truncate_label=-1,
        )
    )
    chart.x_labels = [
        _short(f"{r['ward']}: {r['unit']}" if r["ward"] else r["unit"]) for r in rows
    ]
    for status, label in statuses:
        chart.add(label, [r[status] for r in rows])
    return _svg(chart)


def monthly(figures: dict, title: str) -> str:
    chart = pygal.StackedBar(**_config(title=title, x_label_rotation=0))
    chart.x_labels = figures["months"]
    for series in figures["series"]:
        chart.add(series["name"], series["values"])
    return _svg(chart)


def budget(lines, title="Kinh phí: dự toán và đã chi (triệu đồng)") -> str:
    chart = pygal.HorizontalBar(
        **_config(
            title=title,
            height=max(260, 100 + 46 * len(lines)),
            legend_at_bottom_columns=2,
            truncate_label=-1,
        )
    )
    chart.x_labels = [_short(f"{line.unit} — {line.source}", 44) for line in lines]
    # In millions: full amounts ("120.000.000") run into each other on the axis;
    # the table beside the chart has every amount to the đồng.
    chart.add("Dự toán", [float(line.planned) / 1e6 for line in lines])
    chart.add("Đã chi lũy kế năm", [float(line.spent_year) / 1e6 for line in lines])
    return _svg(chart)
