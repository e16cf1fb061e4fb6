import io
import shutil
import subprocess
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from docx import Document
from docx.shared import Pt
from openpyxl import load_workbook
from pypdf import PdfReader

from loa.reports.document import period_name, report_document
from loa.reports.models import Commendation
from loa.reports.services import (
    commendation_add,
    draft_get_or_create,
    draft_update,
    narrative_set,
    report_export,
)

from .conftest import H1

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(money_a, manager_a):
    draft = draft_get_or_create(money_a.plan, *H1, by=manager_a)
    draft_update(
        draft, by=manager_a, number="215/BC-UBND", issued_date=date(2026, 7, 5)
    )
    return draft


def _docx_text(content: bytes) -> tuple[Document, str]:
    document = Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                parts.append(cell.text)
    return document, "\n".join(parts)


def test_header_and_signature_follow_decree_30(draft):
    doc = report_document(draft)
    assert doc.issuer_lines == ["ỦY BAN NHÂN DÂN", "PHƯỜNG HẢI DƯƠNG"]
    assert doc.number_line == "Số: 215/BC-UBND"
    assert doc.place_date == "Hải Dương, ngày 05 tháng 7 năm 2026"
    assert doc.doc_type == "BÁO CÁO"
    assert doc.subject.startswith(
        "Kết quả 6 tháng đầu năm 2026 thực hiện Kế hoạch số 77/KH-UBND ngày 04/03/2026"
    )
    # The plan was signed by the chairman: no "KT." line.
    assert doc.signature_lines == ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"]
    assert doc.signer == "Phạm Thị Thanh Vân"
    assert doc.recipients[-1] == "Lưu: VT, VHXH."


def test_a_deputy_signs_for_the_chairman(draft, manager_a):
    draft_update(
        draft,
        by=manager_a,
        signer_position="Phó Chủ tịch",
        signing_authority="KT. Chủ tịch",
        signer="Nguyễn Văn An",
    )
    assert report_document(draft).signature_lines == [
        "TM. ỦY BAN NHÂN DÂN",
        "KT. CHỦ TỊCH",
        "PHÓ CHỦ TỊCH",
    ]


def test_docx_reads_right_in_times_new_roman(draft):
    content = report_export(draft, "docx").content
    document, text = _docx_text(content)
    header = document.tables[0].rows[0].cells
    assert "ỦY BAN NHÂN DÂN\nPHƯỜNG HẢI DƯƠNG" in header[0].text
    assert "Số: 215/BC-UBND" in header[0].text
    assert (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"
        in header[1].text
    )
    assert "Hải Dương, ngày 05 tháng 7 năm 2026" in header[1].text
    end = document.tables[-1].rows[0].cells
    assert end[0].text.startswith("Nơi nhận:")
    assert "TM. ỦY BAN NHÂN DÂN" in end[1].text and end[1].text.strip().endswith(
        "Phạm Thị Thanh Vân"
    )
    section = document.sections[0]
    margins = (section.left_margin.mm, section.right_margin.mm, section.top_margin.mm)
    assert [round(m) for m in margins] == [30, 15, 20]
    runs = [r for p in document.paragraphs for r in p.runs]
    assert runs and {r.font.name for r in runs} == {"Times New Roman"}
    body = next(p for p in document.paragraphs if p.text.startswith("Trong kỳ báo cáo"))
    assert body.runs[0].font.size == Pt(14)
    assert (
        "Trong kỳ báo cáo (6 tháng đầu năm 2026), các đơn vị đã thực hiện 8 hoạt động"
        in text
    )
    assert "Tổ chức 2 hội nghị, hội thảo, tọa đàm với 120 lượt người tham dự." in text
    assert "dự toán 10.000.000 đồng; đã chi trong kỳ 3.500.000 đồng" in text
    assert "Treo pa-nô trước 31/05/2026 (quá hạn, hạn 31/05/2026)" in text
    assert "Thành Đông" not in text  # the other ward


def test_pdf_carries_the_same_content(draft):
    content = report_export(draft, "pdf").content
    text = "\n".join(
        page.extract_text() for page in PdfReader(io.BytesIO(content)).pages
    )
    for expected in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "BÁO CÁO",
        "Số: 215/BC-UBND",
        "120 lượt người tham dự",
        "Phạm Thị Thanh Vân",
        "Nơi nhận:",
    ):
        assert expected in text.replace("\n", " ") or expected in text


def test_xlsx_has_one_sheet_per_table_with_the_figures(draft):
    book = load_workbook(io.BytesIO(report_export(draft, "xlsx").content))
    assert book.sheetnames == [
        "Thông tin",
        "Theo hình thức",
        "Số liệu chính",
        "Theo đơn vị",
        "Kinh phí",
        "Nhiệm vụ",
    ]
    forms = {
        row[0]: row[1:]
        for row in book["Theo hình thức"].iter_rows(min_row=2, values_only=True)
    }
    assert forms["Hội nghị, hội thảo, tọa đàm"][:2] == (2, 120)
    money = list(book["Kinh phí"].iter_rows(min_row=2, values_only=True))
    assert money == [
        ("Ngân sách nhà nước", 10_000_000, 3_500_000, 3_500_000, 6_500_000, 0)
    ]
    assert book["Nhiệm vụ"].max_row == 1 + 3


def test_editing_the_words_never_changes_a_number(draft, manager_a, service_staff_a):
    before = report_document(draft)
    narrative_set(
        draft,
        unit=draft.plan.tasks.get(text="Đăng tin bài hằng tháng").unit,
        text="Đơn vị đã làm 999 hoạt động và 5.000 lượt người dự.",
        by=service_staff_a,
    )
    draft_update(
        draft,
        by=manager_a,
        introduction="Mở đầu có số 12345.",
        difficulties="Thiếu 3 máy tính.",
    )
    commendation_add(
        draft,
        kind=Commendation.Kind.PERSON,
        name="Bà Lê Thị Hoa",
        reason="Tích cực",
        unit=None,
        by=manager_a,
    )
    after = report_document(draft)
    assert [b.rows for b in before.tables if b.sheet != "Biểu dương"] == [
        b.rows for b in after.tables if b.sheet != "Biểu dương"
    ]
    figures = [
        b.text
        for b in before.blocks
        if b.kind == "paragraph"
        and any(ch.isdigit() for ch in b.text)
        and "hoạt động" in b.text
    ]
    after_text = [b.text for b in after.blocks]
    for sentence in figures:
        assert sentence in after_text
    assert "Đơn vị đã làm 999 hoạt động và 5.000 lượt người dự." in after_text


def test_figures_are_not_draft_fields(draft, manager_a):
    with pytest.raises(ValidationError):
        draft_update(draft, by=manager_a, activity_total=5)


def test_a_unit_writes_only_its_own_part(draft, service_staff_a, ward_a):
    with pytest.raises(PermissionDenied):
        narrative_set(draft, unit=ward_a.culture, text="Viết hộ", by=service_staff_a)
    with pytest.raises(PermissionDenied):
        draft_update(draft, by=service_staff_a, difficulties="Không")
    assert narrative_set(
        draft, unit=ward_a.service, text="Phần của chúng tôi.", by=service_staff_a
    )


def test_report_period_names():
    assert period_name(date(2026, 1, 1), date(2026, 6, 30)) == "6 tháng đầu năm 2026"
    assert period_name(date(2026, 4, 1), date(2026, 6, 30)) == "quý II năm 2026"
    assert period_name(date(2026, 1, 1), date(2026, 12, 31)) == "năm 2026"
    assert period_name(date(2026, 3, 1), date(2026, 3, 31)) == "tháng 3 năm 2026"
    assert period_name(date(2026, 2, 1), date(2026, 2, 28)) == "tháng 02 năm 2026"
    assert (
        period_name(date(2026, 3, 5), date(2026, 4, 20))
        == "từ ngày 05/03/2026 đến ngày 20/04/2026"
    )


def test_cli_writes_each_format(money_a, tmp_path):
    for fmt in ("docx", "pdf", "xlsx"):
        out = tmp_path / f"r.{fmt}"
        call_command(
            "report",
            plan="77/KH-UBND",
            start="2026-01-01",
            end="2026-06-30",
            format=fmt,
            output=str(out),
        )
        assert out.stat().st_size > 1000
    assert out.read_bytes()[:2] == b"PK"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"plan": "99/KH-UBND"}, "Không tìm thấy kế hoạch số 99/KH-UBND"),
        ({"start": "30/06/2026"}, "Ngày không hợp lệ"),
        ({"start": "2026-07-01", "end": "2026-01-01"}, "Ngày bắt đầu phải trước"),
    ],
)
def test_cli_explains_bad_input_in_vietnamese(money_a, tmp_path, kwargs, message):
    args = {
        "plan": "77/KH-UBND",
        "start": "2026-01-01",
        "end": "2026-06-30",
        "output": str(tmp_path / "r.docx"),
    } | kwargs
    with pytest.raises(CommandError, match=message):
        call_command("report", **args)
    assert not (tmp_path / "r.docx").exists()


@pytest.mark.slow
def test_libreoffice_opens_the_docx(draft, tmp_path):
    soffice = shutil.which("soffice")
    assert soffice, "LibreOffice is installed by scripts/install-debian.sh"
    path = tmp_path / "bao-cao.docx"
    path.write_bytes(report_export(draft, "docx").content)
    subprocess.run(
        [
            soffice,
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--convert-to",
            "txt:Text (encoded):UTF8",
            "--outdir",
            str(tmp_path),
            str(path),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    text = (tmp_path / "bao-cao.txt").read_text(encoding="utf-8-sig")
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Tổ chức 2 hội nghị, hội thảo, tọa đàm với 120 lượt người tham dự." in text
    assert "Phạm Thị Thanh Vân" in text
