"""The dashboard's "Nhiệm vụ theo đơn vị" chart with many long unit names: its legend
entries never run into each other or into the unit names, and they stay on the figure.

The chart is inline SVG drawn by pygal (loa/reports/charts.py), built here the way the
dashboard builds it: figures.tasks_by_unit over task rows, then charts.tasks_by_unit
with the dashboard's statuses. Where the text lands is measured twice: with the font
metrics of Noto Sans (the font chromium picks for the chart's "system-ui, 'Noto Sans'"),
and as chromium lays the figure out.
"""

import re
from itertools import combinations
from pathlib import Path
from types import SimpleNamespace

import pytest
from lxml import etree
from PIL import ImageFont

from loa.core.testing import browser
from loa.reports import charts, figures
from loa.reports.figures import STATUS_LABELS, STATUS_ORDER, TaskRow

# The seed plan's units (77/KH-UBND), then the long names of other bodies of a ward.
UNITS = [
    "Phòng Văn hóa - Xã hội",
    "Phòng Kinh tế, Hạ tầng và Đô thị",
    "Trung tâm Dịch vụ sự nghiệp công",
    "Các phòng, ban, đơn vị phường",
    "Mặt trận Tổ quốc Việt Nam, các tổ chức chính trị - xã hội phường",
    "Ủy ban Mặt trận Tổ quốc Việt Nam phường",
    "Đoàn Thanh niên Cộng sản Hồ Chí Minh phường",
    "Hội Liên hiệp Phụ nữ Việt Nam phường",
    "Hội Cựu chiến binh Việt Nam phường",
    "Ban Chỉ huy Quân sự phường",
]
WARDS = ["Hải Dương", "Lê Thanh Nghị", "Thành Đông"]
# A ward's own dashboard (unit names alone) and the city's (the ward before each unit).
SCOPES = pytest.mark.parametrize(
    "wards", [WARDS[:1], WARDS], ids=["one-ward", "city-three-wards"]
)

NOTO_SANS = Path("/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf")
SVG_NS = {"s": "http://www.w3.org/2000/svg"}
SLACK = 0.5  # px: boxes that merely touch do not overlap


def _units_chart(wards: list[str]) -> str:
    """The chart exactly as the dashboard calls it; every unit has a task in each state."""
    rows = [
        TaskRow(
            SimpleNamespace(
                unit=SimpleNamespace(name=unit),
                plan=SimpleNamespace(ward=SimpleNamespace(name=ward)),
            ),
            status,
            STATUS_LABELS[status],
            None,
            0,
        )
        for ward in wards
        for unit in UNITS
        for status in STATUS_ORDER
    ]
    statuses = [(s, STATUS_LABELS[s]) for s in STATUS_ORDER]
    by_unit = figures.tasks_by_unit(rows, with_ward=len(wards) > 1)
    assert len(by_unit) == len(wards) * len(UNITS)
    return charts.tasks_by_unit(by_unit, statuses)


def _overlap(a, b) -> bool:
    """Boxes are (left, top, right, bottom)."""
    return (
        a[0] < b[2] - SLACK
        and b[0] < a[2] - SLACK
        and a[1] < b[3] - SLACK
        and b[1] < a[3] - SLACK
    )


def _inside(box, frame) -> bool:
    return (
        box[0] >= frame[0] - SLACK
        and box[1] >= frame[1] - SLACK
        and box[2] <= frame[2] + SLACK
        and box[3] <= frame[3] + SLACK
    )


def _assert_apart_and_on_the_figure(entries: dict, frame) -> None:
    assert sorted(entries) == sorted(STATUS_LABELS.values())
    clashes = [
        (a, b) for a, b in combinations(entries, 2) if _overlap(entries[a], entries[b])
    ]
    assert clashes == [], f"chú giải chồng lên nhau: {clashes} — {entries}"
    outside = [label for label, box in entries.items() if not _inside(box, frame)]
    assert outside == [], f"chú giải ra ngoài hình {frame}: {outside} — {entries}"


def _translation(element) -> tuple[float, float]:
    """The sum of the translate() of an element and of the groups around it."""
    x = y = 0.0
    while element is not None:
        found = re.search(
            r"translate\(\s*([-\d.]+)[\s,]+([-\d.]+)", element.get("transform", "")
        )
        if found:
            x, y = x + float(found[1]), y + float(found[2])
        element = element.getparent()
    return x, y


def _legend_by_font(svg: str) -> tuple[dict, tuple]:
    """Each legend entry's box (colour swatch and label) from the SVG's coordinates and
    the label's width in Noto Sans at the chart's legend size; and the figure's box."""
    root = etree.fromstring(svg.encode())
    font = ImageFont.truetype(str(NOTO_SANS), charts.STYLE.legend_font_size)
    entries = {}
    for legend in root.iterfind(".//s:g[@class='legends']/s:g", SVG_NS):
        dx, dy = _translation(legend)
        swatch, text = legend.find("s:rect", SVG_NS), legend.find("s:text", SVG_NS)
        assert text.get("text-anchor") is None  # starts at x, as pygal writes it
        sx, sy = float(swatch.get("x")), float(swatch.get("y"))
        tx, ty = float(text.get("x")), float(text.get("y"))
        left, top, right, bottom = font.getbbox(text.text, anchor="ls")
        entries[text.text] = (
            dx + min(sx, tx + left),
            dy + min(sy, ty + top),
            dx + max(sx + float(swatch.get("width")), tx + right),
            dy + max(sy + float(swatch.get("height")), ty + bottom),
        )
    _, _, width, height = (float(v) for v in root.get("viewBox").split())
    return entries, (0.0, 0.0, width, height)


@SCOPES
def test_legend_entries_are_apart_and_on_the_figure_by_font_metrics(wards):
    assert NOTO_SANS.exists(), "Thiếu fonts-noto-core: chạy scripts/install-debian.sh"
    entries, frame = _legend_by_font(_units_chart(wards))

    _assert_apart_and_on_the_figure(entries, frame)


# --- As chromium draws it --------------------------------------------------------------


@pytest.fixture
def chromium_page():
    with browser.chromium_page({"width": 800, "height": 900}) as page:
        yield page


# Boxes in the figure's own units (the SVG is drawn at its viewBox width, so 1 px = 1).
_MEASURE = """svg => {
  const frame = svg.getBoundingClientRect();
  const box = e => { const r = e.getBoundingClientRect();
    return [r.left - frame.left, r.top - frame.top, r.right - frame.left, r.bottom - frame.top]; };
  return {
    frame: [0, 0, frame.width, frame.height],
    legend: [...svg.querySelectorAll('.legends .legend')].map(
      g => [g.querySelector('text').textContent, box(g), box(g.querySelector('text'))]),
    axis: [...svg.querySelectorAll('.axis text')].map(t => [t.textContent, box(t)]),
  };
}"""


@pytest.mark.browser
@SCOPES
def test_legend_entries_are_apart_and_on_the_figure_as_chromium_draws_it(
    wards, chromium_page, tmp_path
):
    svg = _units_chart(wards)
    width = float(etree.fromstring(svg.encode()).get("viewBox").split()[2])
    page = chromium_page
    page.set_content(
        '<!doctype html><html lang="vi"><head><meta charset="utf-8"></head>'
        f'<body style="margin:0"><div style="width:{width}px">{svg}</div></body></html>'
    )
    page.evaluate("document.fonts.ready")
    drawn = page.locator("svg.pygal-chart").evaluate(_MEASURE)
    page.screenshot(path=str(tmp_path / "nhiem-vu-theo-don-vi.png"), full_page=True)

    assert drawn["frame"][2] == pytest.approx(width, abs=1)
    entries = {label: entry for label, entry, _ in drawn["legend"]}
    _assert_apart_and_on_the_figure(entries, drawn["frame"])

    # The unit names, cut short, stay on the figure and clear of the legend.
    names = [(text, box) for text, box in drawn["axis"] if text.strip()]
    assert len([n for n, _ in names if "…" in n]) >= 2  # the long names were cut
    assert [n for n, box in names if not _inside(box, drawn["frame"])] == []
    assert [
        (label, name)
        for label, _, text_box in drawn["legend"]
        for name, box in names
        if _overlap(text_box, box)
    ] == []
