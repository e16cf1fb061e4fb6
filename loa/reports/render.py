"""Write a ReportDocument as .docx (Word, LibreOffice), PDF and .xlsx.

Layout after Nghị định 30/2020/NĐ-CP, Phụ lục I: A4; margins top and bottom 20 mm, left
30 mm, right 15 mm; Times New Roman; issuing body and national motto side by side at the
top, number under the body, place and date under the motto; title centred in bold;
body 14 pt justified with a first-line indent; "Nơi nhận" left and the signature block
right at the end.
"""

import io

from django.template.loader import render_to_string
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from loa.core.spreadsheets import append_row
from loa.vn import format_number

from .document import ReportDocument
from .tables import Table

FONT = "Times New Roman"
MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO_LINE = "Độc lập - Tự do - Hạnh phúc"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


# ---------------------------------------------------------------- .docx


def _run(paragraph, text, *, size=14, bold=False, italic=False):
    run = paragraph.add_run(text)
    run.font.name = FONT
    run.font.size = Pt(size)
    run.bold = bold
    run.italic = italic
    # Word picks the font per script: set it for every range so no glyph falls back.
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)
    return run


def _para(
    container,
    text="",
    *,
    size=14,
    bold=False,
    italic=False,
    align=None,
    indent=False,
    before=0,
    after=0,
):
    paragraph = container.add_paragraph()
    fmt = paragraph.paragraph_format
    fmt.space_before = Pt(before)
    fmt.space_after = Pt(after)
    fmt.line_spacing = 1.0 if not indent else 1.15
    if indent:
        fmt.first_line_indent = Cm(1.27)
    if align is not None:
        paragraph.alignment = align
    if text:
        _run(paragraph, text, size=size, bold=bold, italic=italic)
    return paragraph


def _rule(container, *, width_cm: float, cell_width_cm: float):
    """A short centred line (the stroke under the body's name, the motto and the title)."""
    paragraph = _para(container, align=WD_ALIGN_PARAGRAPH.CENTER)
    side = max(0.0, (cell_width_cm - width_cm) / 2)
    paragraph.paragraph_format.left_indent = Cm(side)
    paragraph.paragraph_format.right_indent = Cm(side)
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (
        ("w:val", "single"),
        ("w:sz", "6"),
        ("w:space", "1"),
        ("w:color", "000000"),
    ):
        bottom.set(qn(key), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)
    paragraph.paragraph_format.space_after = Pt(4)
    return paragraph


def _no_borders(table):
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    tbl_pr.append(borders)


def _two_columns(document, left_cm: float, right_cm: float):
    table = document.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _no_borders(table)
    # LibreOffice reads the grid, Word the cells: set both.
    for column, width in zip(table.columns, (left_cm, right_cm), strict=True):
        column.width = Cm(width)
    for cell, width in zip(table.rows[0].cells, (left_cm, right_cm), strict=True):
        cell.width = Cm(width)
        cell.paragraphs[0]._p.getparent().remove(cell.paragraphs[0]._p)
    return table.rows[0].cells


def render_docx(doc: ReportDocument) -> bytes:
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = section.bottom_margin = Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(14)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)

    center = WD_ALIGN_PARAGRAPH.CENTER
    left, right = _two_columns(document, 6.0, 10.5)
    for line in doc.issuer_lines:
        # Without a parent body both lines are the issuing body itself: bold.
        _para(left, line, size=13, bold=True, align=center)
    _rule(left, width_cm=2.0, cell_width_cm=6.0)
    _para(left, doc.number_line, size=13, align=center)
    _para(right, MOTTO, size=13, bold=True, align=center)
    _para(right, MOTTO_LINE, size=14, bold=True, align=center)
    _rule(right, width_cm=6.0, cell_width_cm=10.5)
    _para(right, doc.place_date, size=14, italic=True, align=center)

    _para(document, doc.doc_type, size=14, bold=True, align=center, before=18)
    _para(document, doc.subject, size=14, bold=True, align=center)
    _rule(document, width_cm=4.0, cell_width_cm=16.5)

    justify = WD_ALIGN_PARAGRAPH.JUSTIFY
    for block in doc.printed_blocks:
        if block.kind in ("heading", "subheading"):
            _para(document, block.text, bold=True, align=justify, indent=True, before=6)
        elif block.kind == "paragraph":
            _para(document, block.text, align=justify, indent=True, before=6)
        elif block.kind == "table":
            if block.text:
                _para(
                    document, block.text, size=13, italic=True, align=center, before=6
                )
            _data_table(document, block)

    notes, signature = _two_columns(document, 8.0, 8.5)
    _para(notes, "Nơi nhận:", size=12, bold=True, italic=True, before=12)
    for line in doc.recipients:
        _para(notes, f"- {line}", size=11)
    for i, line in enumerate(doc.signature_lines):
        _para(
            signature,
            line,
            size=14,
            bold=True,
            align=center,
            before=12 if i == 0 else 0,
        )
    for _ in range(4):  # room for the signature and the seal
        _para(signature, "", size=14)
    _para(signature, doc.signer, size=14, bold=True, align=center)

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _data_table(document, block: Table):
    table = document.add_table(rows=1, cols=len(block.header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, title in zip(table.rows[0].cells, block.header, strict=True):
        cell.paragraphs[0].text = ""
        _run(cell.paragraphs[0], title, size=12, bold=True)
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    for row in block.rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            paragraph = cell.paragraphs[0]
            _run(paragraph, _cell_text(value), size=12)
            if isinstance(value, int | float):
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _cell_text(value) -> str:
    if isinstance(value, int | float):
        return format_number(value)
    return str(value)


# ---------------------------------------------------------------- PDF


def render_html(doc: ReportDocument) -> str:
    return render_to_string(
        "reports/report_document.html",
        {"doc": doc},
    )


def render_pdf(doc: ReportDocument) -> bytes:
    from loa.core.pdf import pdf_from_html

    return pdf_from_html(render_html(doc))


# ---------------------------------------------------------------- .xlsx


def render_xlsx(doc: ReportDocument) -> bytes:
    """The figures behind the report, one sheet per table."""
    book = Workbook()
    book.remove(book.active)
    info = book.create_sheet("Thông tin")
    append_row(info, ["Báo cáo", doc.subject])
    append_row(info, ["Số", doc.number_line])
    append_row(info, ["Địa danh, ngày", doc.place_date])
    info.column_dimensions["A"].width = 18
    info.column_dimensions["B"].width = 120
    for block in doc.tables:
        sheet = book.create_sheet(block.sheet[:31])
        append_row(sheet, block.header)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for row in block.rows:
            append_row(sheet, row)
        for i, title in enumerate(block.header):
            letter = sheet.cell(row=1, column=i + 1).column_letter
            longest = max([len(str(title))] + [len(str(r[i])) for r in block.rows])
            sheet.column_dimensions[letter].width = min(60, max(12, longest + 2))
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
