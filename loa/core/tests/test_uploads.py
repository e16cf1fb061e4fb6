"""Hostile uploads: zip bombs, XML entities, disguised files, photos with GPS, pixel bombs,
oversized bodies and PDFs that make the parser spin — each refused in Vietnamese, and
nothing already stored is lost or changed."""

import io
import struct
import sys
import time
import unicodedata
import zipfile
import zlib
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.urls import reverse
from openpyxl import Workbook
from PIL import Image

from loa.core import roles, uploads
from loa.core.models import Unit
from loa.core.tests.factories import UnitFactory, WardFactory, staff_user
from loa.core.uploads import UploadError
from loa.plans.extract import ExtractionError, extract_text
from loa.plans.forms import PlanUploadForm
from loa.plans.models import Activity, Plan
from loa.plans.tests.factories import TaskFactory

FIXTURES = Path(__file__).resolve().parents[2] / "plans" / "tests" / "fixtures"
DOCX = FIXTURES / "kh-09-xa-an-lao.docx"
PDF = FIXTURES / "kh-09-xa-an-lao.pdf"
VIETNAMESE = "ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ"
GPS_IFD = 0x8825


def is_vietnamese_sentence(message: str) -> bool:
    return (
        bool(message.strip())
        and "\n" not in message
        and unicodedata.normalize("NFC", message) == message
        and any(ch in message.lower() for ch in VIETNAMESE)
    )


# ------------------------------------------------------------------ builders


def rezip(source: bytes, replace: dict[str, bytes] = (), add: dict = ()) -> bytes:
    """Copy a zip, replacing or adding parts (deflated, as Office writes them)."""
    replace, add = dict(replace), dict(add)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(source)) as old,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as new,
    ):
        for name in old.namelist():
            new.writestr(name, replace.get(name, old.read(name)))
        for name, data in add.items():
            new.writestr(name, data)
    return out.getvalue()


def xlsx(rows) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def zip_bomb_docx() -> bytes:
    """A real plan .docx carrying 64 MB of zeros: about 100 KB on disk."""
    return rezip(DOCX.read_bytes(), add={"word/media/image1.bin": bytes(64 * 1024**2)})


BILLION_LAUGHS = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        b'<!ENTITY lol%d "%s">'
        % (n, (b"&lol%d;" % (n - 1) if n > 1 else b"&lol;") * 10)
        for n in range(1, 10)
    )
    + b"]>\n"
)
XXE = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<!DOCTYPE w [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
)


def with_prolog(part: bytes, prolog: bytes, entity: bytes) -> bytes:
    """Put a DOCTYPE prolog before the root element and use the entity in the text."""
    body = part.split(b"?>", 1)[1] if part.startswith(b"<?xml") else part
    return prolog + body.replace(b"</w:t>", entity + b"</w:t>", 1)


def jpeg_with_gps(size=(64, 32), orientation: int = 6) -> bytes:
    exif = Image.Exif()
    exif[0x0112] = orientation  # turned 90°: the stored picture must come out upright
    exif[0x010F] = "Máy ảnh của cán bộ"
    exif[GPS_IFD] = {1: "N", 2: (20.0, 51.0, 30.0), 3: "E", 4: (106.0, 41.0, 12.0)}
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(
        out,
        "JPEG",
        exif=exif.tobytes(),
        comment=b"toa-do-nha-rieng",
        xmp=b"<x:xmpmeta>vi-tri-bi-mat</x:xmpmeta>",
    )
    return out.getvalue()


def png_header(width: int, height: int) -> bytes:
    """A PNG that claims huge dimensions in a few hundred bytes (a decompression bomb)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1-bit greyscale
    idat = zlib.compress(bytes(1 + (width + 7) // 8) * 64, 9)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", idat)
        + chunk(b"IEND", b"")
    )


def png(size=(40, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (10, 120, 200)).save(out, "PNG")
    return out.getvalue()


def spinning_pdf(operators: int = 200_000) -> bytes:
    """About 11 KB: one page whose compressed content stream holds `operators` text
    operators; pypdf's pure-Python text extraction needs about half a minute for it."""
    content = b"BT /F1 12 Tf " + b"1 0 0 1 0 0 Tm (a) Tj " * operators + b"ET"
    stream = zlib.compress(content, 9)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842]"
        b" /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>stream\n" % len(stream)
        + stream
        + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%b\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer << /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n"
        % (len(objects) + 1, xref)
    )
    return out.getvalue()


# ------------------------------------------------------------------ fixtures


@pytest.fixture
def manager(db):
    ward = WardFactory(name="Hải Dương", slug="hai-duong-uploads")
    return staff_user(
        ward=ward,
        unit=UnitFactory(ward=ward, name="Phòng Văn hóa - Xã hội"),
        role=roles.CULTURE_STAFF,
    )


@pytest.fixture
def task_staff(db):
    task = TaskFactory(unit__name="Trung tâm Dịch vụ sự nghiệp công")
    return task, staff_user(ward=task.plan.ward, unit=task.unit)


def post_evidence(client, task, upload):
    return client.post(
        reverse("plans:activity_create", args=[task.pk]),
        {
            "kind": "phat_thanh",
            "date": "2026-03-12",
            "title": "Chuyên mục Chuyển đổi số tuần 2",
            "channel": "dai_truyen_thanh",
            "reach": "3500",
            "evidence_file": upload,
        },
    )


def form_error(response, field: str) -> str:
    return " ".join(response.context["form"].errors[field])


# --------------------------------------------------------------------- sniff


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (PDF.read_bytes(), "pdf"),
        (DOCX.read_bytes(), "docx"),
        (xlsx([["Họ và tên"]]), "xlsx"),
        (png(), "png"),
        (jpeg_with_gps(), "jpeg"),
        (b"GIF89a" + bytes(20), "gif"),
        (b"RIFF\x00\x00\x00\x00WEBPVP8 ", "webp"),
        (b"RIFF\x00\x00\x00\x00WAVEfmt ", "wav"),
        (b"ID3\x04\x00" + bytes(20), "mp3"),
        (b"\xff\xfb\x90\x64" + bytes(20), "mp3"),
        (b"\x00\x00\x00\x20ftypisom" + bytes(20), "mp4"),
        (b"\x00\x00\x00\x20ftypM4A " + bytes(20), "m4a"),
        (b"\x00\x00\x00\x1cftypheic" + bytes(20), "heic"),
        (b"MZ\x90\x00" + bytes(60), "executable"),
        (b"\x7fELF\x02\x01\x01" + bytes(20), "executable"),
        (b"<!DOCTYPE html><script>alert(1)</script>", "markup"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(20), "ole"),
        ("Kế hoạch tuyên truyền".encode("utf-16"), "text"),
        ("Kế hoạch tuyên truyền".encode(), "text"),
        (b"PK\x03\x04 broken", "broken-zip"),
    ],
)
def test_the_kind_of_a_file_comes_from_its_bytes(data, kind):
    assert uploads.sniff(data) == kind


# ---------------------------------------------------------------- zip bombs


def test_zip_bomb_docx_is_refused_before_it_is_unpacked():
    data = zip_bomb_docx()
    assert len(data) < 300_000  # small on disk, 64 MB once unpacked
    started = time.perf_counter()
    with pytest.raises(ExtractionError) as caught:
        extract_text(data=data, filename="ke-hoach.docx")
    assert caught.value.code == "zip_bomb"
    assert is_vietnamese_sentence(caught.value.message)
    assert "bom nén" in caught.value.message
    assert time.perf_counter() - started < 2  # the directory is read, nothing inflated


def test_zip_bomb_docx_upload_saves_no_plan(client, manager):
    client.force_login(manager)
    upload = SimpleUploadedFile("ke-hoach.docx", zip_bomb_docx())
    response = client.post(reverse("plans:plan_upload"), {"file": upload})
    assert response.status_code == 400
    assert "bom nén" in form_error(response, "file")
    assert Plan.objects.count() == 0


def test_zip_bomb_xlsx_is_refused_and_imports_nothing(db):
    from loa.learning import imports
    from loa.learning.models import Learner

    ward = WardFactory(slug="bom-nen-xlsx")
    data = rezip(
        xlsx([["Họ và tên", "Năm sinh", "Tổ dân phố"]]),
        add={"xl/media/image1.bin": bytes(64 * 1024**2)},
    )
    assert len(data) < 300_000
    with pytest.raises(imports.ImportFileError) as caught:
        imports.learners_import(ward=ward, data=data)
    assert caught.value.code == "zip_bomb"
    assert is_vietnamese_sentence(caught.value.messages[0])
    assert Learner.objects.count() == 0


def test_zip_limits_are_read_from_the_central_directory():
    data = DOCX.read_bytes()
    uploads.check_office_zip(data)  # a real plan passes
    with pytest.raises(UploadError) as caught:
        uploads.check_office_zip(data, max_unpacked=100_000)
    assert caught.value.code == "zip_bomb"

    many = rezip(data, add={f"customXml/extra{n}.xml": b"<a/>" for n in range(1001)})
    with pytest.raises(UploadError) as caught:
        uploads.check_office_zip(many)
    assert caught.value.code == "zip_entries"
    assert is_vietnamese_sentence(caught.value.message)


def test_a_large_real_workbook_is_not_taken_for_a_bomb(monkeypatch):
    monkeypatch.setattr("loa.core.uploads.office.ZIP_RATIO_FROM_BYTES", 1024**2)
    rows = [["Nguyễn Văn An", 1960, "Tổ dân phố số 1", "Người dân", "0912345678"]]
    data = xlsx(rows * 5_000)  # its sheet: 1.7 MB unpacked, a ratio of about 20
    uploads.check_office_zip(data)


# ------------------------------------------------------------- XML entities


@pytest.mark.parametrize(
    ("prolog", "entity"), [(XXE, b"&xxe;"), (BILLION_LAUGHS, b"&lol9;")]
)
def test_docx_with_xml_entities_is_refused(prolog, entity):
    source = DOCX.read_bytes()
    with zipfile.ZipFile(io.BytesIO(source)) as archive:
        document = archive.read("word/document.xml")
    data = rezip(
        source, replace={"word/document.xml": with_prolog(document, prolog, entity)}
    )
    with pytest.raises(ExtractionError) as caught:
        extract_text(data=data, filename="ke-hoach.docx")
    assert caught.value.code == "xml_entity"
    assert is_vietnamese_sentence(caught.value.message)


def test_utf16_doctype_in_any_part_is_refused():
    part = (
        '<?xml version="1.0" encoding="UTF-16"?>'
        '<!DOCTYPE r [<!ENTITY a "b">]><Relationships/>'
    ).encode("utf-16")
    data = rezip(DOCX.read_bytes(), replace={"_rels/.rels": part})
    with pytest.raises(UploadError) as caught:
        uploads.check_office_zip(data)
    assert caught.value.code == "xml_entity"


def test_svg_picture_with_a_doctype_is_not_taken_for_an_attack():
    svg = (
        b'<?xml version="1.0"?>\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" '
        b'"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd" [<!ENTITY ns_svg '
        b'"http://www.w3.org/2000/svg">]><svg xmlns="&ns_svg;"/>'
    )
    source = DOCX.read_bytes()
    uploads.check_office_zip(rezip(source, add={"word/media/logo.svg": svg}))

    # …but a part that [Content_Types].xml makes python-docx parse as XML is checked.
    with zipfile.ZipFile(io.BytesIO(source)) as archive:
        types = archive.read("[Content_Types].xml")
    types = types.replace(
        b"</Types>",
        b'<Override PartName="/word/media/logo.svg" ContentType="application/'
        b'vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/></Types>',
    )
    data = rezip(
        source, replace={"[Content_Types].xml": types}, add={"word/media/logo.svg": svg}
    )
    with pytest.raises(UploadError) as caught:
        uploads.check_office_zip(data)
    assert caught.value.code == "xml_entity"


def test_xlsx_with_xml_entities_is_refused_and_imports_nothing(db):
    from loa.learning import imports
    from loa.learning.models import Learner

    ward = WardFactory(slug="xxe-xlsx")
    source = xlsx([["Họ và tên", "Năm sinh", "Tổ dân phố"], ["An", 1960, "Tổ 1"]])
    with zipfile.ZipFile(io.BytesIO(source)) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml")
    body = sheet.split(b"?>", 1)[1] if sheet.startswith(b"<?xml") else sheet
    data = rezip(source, replace={"xl/worksheets/sheet1.xml": BILLION_LAUGHS + body})
    with pytest.raises(imports.ImportFileError) as caught:
        imports.learners_import(ward=ward, data=data)
    assert caught.value.code == "xml_entity"
    assert is_vietnamese_sentence(caught.value.messages[0])
    assert Learner.objects.count() == 0


# ------------------------------------------------------------ disguised files


def test_png_renamed_pdf_is_refused_as_a_plan(client, manager):
    client.force_login(manager)
    upload = SimpleUploadedFile("ke-hoach.pdf", png(), content_type="application/pdf")
    response = client.post(reverse("plans:plan_upload"), {"file": upload})
    assert response.status_code == 400
    error = form_error(response, "file")
    assert "đuôi .pdf" in error and "ảnh PNG" in error
    assert is_vietnamese_sentence(error)
    assert Plan.objects.count() == 0


def test_exe_renamed_jpg_is_refused_as_evidence(client, task_staff):
    task, staff = task_staff
    client.force_login(staff)
    exe = b"MZ\x90\x00\x03\x00\x00\x00" + bytes(56) + b"This program cannot be run"
    response = post_evidence(
        client, task, SimpleUploadedFile("anh.jpg", exe, content_type="image/jpeg")
    )
    assert response.status_code == 400
    error = form_error(response, "evidence_file")
    assert "chương trình" in error and is_vietnamese_sentence(error)
    assert Activity.objects.count() == 0


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("trang.html", b"<html><script>alert(1)</script></html>"),
        ("hinh.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
        ("bao-cao.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600)),
        ("nen.zip", b"PK\x05\x06" + bytes(18)),
    ],
)
def test_evidence_of_other_kinds_is_refused(client, task_staff, name, data):
    task, staff = task_staff
    client.force_login(staff)
    response = post_evidence(client, task, SimpleUploadedFile(name, data))
    assert response.status_code == 400
    assert is_vietnamese_sentence(form_error(response, "evidence_file"))
    assert Activity.objects.count() == 0


def test_evidence_is_stored_under_the_extension_of_its_real_type(client, task_staff):
    task, staff = task_staff
    client.force_login(staff)
    response = post_evidence(
        client, task, SimpleUploadedFile("bien-ban.txt", PDF.read_bytes())
    )
    assert response.status_code == 302
    activity = Activity.objects.get()
    assert activity.evidence_file.name.endswith("/bien-ban.pdf")
    assert activity.evidence_file.read() == PDF.read_bytes()


def test_zip_bomb_docx_is_refused_as_evidence(client, task_staff):
    task, staff = task_staff
    client.force_login(staff)
    response = post_evidence(
        client, task, SimpleUploadedFile("bao-cao.docx", zip_bomb_docx())
    )
    assert response.status_code == 400
    assert "bom nén" in form_error(response, "evidence_file")
    assert Activity.objects.count() == 0


# -------------------------------------------------------------------- images


def assert_no_metadata(stored: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(stored))
    exif = image.getexif()
    assert not exif.get_ifd(GPS_IFD) and GPS_IFD not in exif and 0x010F not in exif
    for secret in (b"toa-do-nha-rieng", b"vi-tri-bi-mat", b"Exif\x00\x00"):
        assert secret not in stored
    return image


def test_evidence_photo_is_stored_without_its_gps_position(client, task_staff):
    task, staff = task_staff
    client.force_login(staff)
    original = jpeg_with_gps()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(GPS_IFD)
    response = post_evidence(
        client, task, SimpleUploadedFile("anh.JPEG", original, "image/jpeg")
    )
    assert response.status_code == 302
    activity = Activity.objects.get()
    assert activity.evidence_file.name.endswith("/anh.jpg")
    image = assert_no_metadata(activity.evidence_file.read())
    assert image.format == "JPEG"
    assert image.size == (32, 64)  # turned upright before the orientation tag went


def test_reencoding_keeps_format_transparency_and_animation():
    rgba = Image.new("RGBA", (20, 10), (0, 0, 0, 0))
    out = io.BytesIO()
    rgba.save(out, "PNG", pnginfo=None)
    data, fmt = uploads.image_reencode(out.getvalue())
    again = Image.open(io.BytesIO(data))
    assert fmt == "PNG" and again.mode == "RGBA" and again.getpixel((0, 0))[3] == 0

    frames = [Image.new("RGB", (8, 8), (80 * n, 0, 0)).convert("P") for n in range(3)]
    out = io.BytesIO()
    frames[0].save(
        out, "GIF", save_all=True, append_images=frames[1:], duration=70, loop=0
    )
    data, fmt = uploads.image_reencode(out.getvalue())
    again = Image.open(io.BytesIO(data))
    assert fmt == "GIF" and again.n_frames == 3 and again.info["duration"] == 70

    out = io.BytesIO()
    exif = Image.Exif()
    exif[GPS_IFD] = {1: "N", 2: (20.0, 51.0, 30.0)}
    Image.new("RGB", (8, 8)).save(out, "WEBP", exif=exif.tobytes())
    data, fmt = uploads.image_reencode(out.getvalue())
    assert fmt == "WEBP" and not Image.open(io.BytesIO(data)).getexif()


@pytest.mark.parametrize("size", [(30_000, 30_000), (8_000, 8_000)])
def test_decompression_bomb_png_is_refused(client, task_staff, size):
    # 900 million pixels trips Pillow's own guard, 64 million only Loa's 50 million.
    task, staff = task_staff
    client.force_login(staff)
    bomb = png_header(*size)
    assert len(bomb) < 5_000
    with pytest.raises(UploadError) as caught:
        uploads.image_reencode(bomb)
    assert caught.value.code == "too_many_pixels"
    assert is_vietnamese_sentence(caught.value.message)

    response = post_evidence(client, task, SimpleUploadedFile("anh.png", bomb))
    assert response.status_code == 400
    assert "điểm ảnh" in form_error(response, "evidence_file")
    assert Activity.objects.count() == 0


def test_decompression_bomb_png_never_reaches_ocr():
    with pytest.raises(ExtractionError) as caught:
        extract_text(data=png_header(30_000, 30_000), filename="ban-quet.png")
    assert caught.value.code == "too_many_pixels"


@pytest.fixture
def editor(client, db):
    user = get_user_model().objects.create_superuser(
        "bientap-anh", "bientap-anh@example.test", "mat-khau-thu"
    )
    client.force_login(user)
    return user


def test_cms_image_is_stored_without_its_gps_position(client, editor):
    from wagtail.images import get_image_model

    response = client.post(
        "/cms/images/add/",
        {
            "title": "Ảnh hội nghị",
            "file": SimpleUploadedFile("hoi-nghi.jpg", jpeg_with_gps()),
        },
    )
    assert response.status_code == 302
    image = get_image_model().objects.get()
    with image.open_file() as stored:
        data = stored.read()
    assert_no_metadata(data)
    assert (image.width, image.height) == (32, 64)
    assert image.file_size == len(data)


def test_cms_decompression_bomb_is_refused_and_the_stored_image_is_kept(client, editor):
    from wagtail.images import get_image_model

    client.post(
        "/cms/images/add/",
        {"title": "Ảnh gốc", "file": SimpleUploadedFile("goc.png", png())},
    )
    image = get_image_model().objects.get()
    with image.open_file() as stored:
        before = stored.read()

    for name, bomb in [
        ("bom.png", png_header(30_000, 30_000)),
        ("bom-vua.png", png_header(8_000, 8_000)),
    ]:
        response = client.post(
            f"/cms/images/{image.pk}/",
            {"title": "Ảnh gốc", "file": SimpleUploadedFile(name, bomb)},
        )
        assert response.status_code == 200, name  # the form again, with the error
        error = form_error(response, "file")
        assert is_vietnamese_sentence(error), error
        assert "unknown" not in error

        response = client.post(
            "/cms/images/multiple/add/",
            {"files[]": SimpleUploadedFile(name, bomb)},
            HTTP_X_REQUESTED_WITH="XMLHttpRequest",
        )
        assert response.json()["success"] is False

    image.refresh_from_db()
    with image.open_file() as stored:
        assert stored.read() == before
    assert get_image_model().objects.count() == 1


# ---------------------------------------------------------------------- size


class NeverRead(UploadedFile):
    """A 3 GB upload as Django hands it to a form; reading it fails the test."""

    def __init__(self, name: str):
        super().__init__(io.BytesIO(), name, "application/pdf", 3 * 1024**3)

    def read(self, *args):
        raise AssertionError("the form read an oversized upload")

    def chunks(self, *args):
        raise AssertionError("the form read an oversized upload")


def test_oversized_upload_is_refused_before_it_is_read():
    form = PlanUploadForm(data={}, files={"file": NeverRead("ke-hoach.pdf")})
    assert not form.is_valid()
    assert "quá lớn" in form.errors["file"][0]

    with pytest.raises(UploadError) as caught:
        uploads.evidence_clean(NeverRead("anh.jpg"))
    assert caught.value.code == "too_large"
    assert is_vietnamese_sentence(caught.value.message)


def test_upload_handler_stops_keeping_a_file_past_the_limit(settings, rf):
    settings.LOA_MAX_UPLOAD_BYTES = 64 * 1024
    settings.FILE_UPLOAD_HANDLERS = [
        "loa.core.uploads.SizeLimitUploadHandler",
        "django.core.files.uploadhandler.MemoryFileUploadHandler",
        "django.core.files.uploadhandler.TemporaryFileUploadHandler",
    ]
    request = rf.post(
        "/",
        {
            "csrfmiddlewaretoken": "giu-nguyen",
            "file": SimpleUploadedFile("lon.pdf", b"%PDF-1.4\n" + bytes(1024**2)),
            "ghi_chu": "sau tệp",
        },
    )
    post, files = request.POST, request.FILES
    upload = files["file"]
    assert isinstance(upload, uploads.OversizedUpload)
    assert upload.size > settings.LOA_MAX_UPLOAD_BYTES
    assert post["csrfmiddlewaretoken"] == "giu-nguyen" and post["ghi_chu"] == "sau tệp"
    with pytest.raises(UploadError):
        upload.read()

    form = PlanUploadForm(data=post, files=files)
    assert not form.is_valid() and "quá lớn" in form.errors["file"][0]

    text = "Kế hoạch".encode() * 10
    request = rf.post("/", {"file": SimpleUploadedFile("nho.txt", text)})
    assert request.FILES["file"].read() == text


def test_oversized_evidence_is_refused_and_nothing_is_stored(
    client, task_staff, settings
):
    settings.LOA_MAX_UPLOAD_BYTES = 10_000
    task, staff = task_staff
    client.force_login(staff)
    response = post_evidence(
        client,
        task,
        SimpleUploadedFile("anh.jpg", jpeg_with_gps((400, 400)) + bytes(20_000)),
    )
    assert response.status_code == 400
    assert "quá lớn" in form_error(response, "evidence_file")
    assert Activity.objects.count() == 0


def test_knowledge_file_over_the_limit_is_refused_before_reading(
    settings, tmp_path, db
):
    from django.core.exceptions import ValidationError

    from loa.assistant.services import kb_ingest

    settings.LOA_MAX_UPLOAD_BYTES = 1000
    (tmp_path / "huong-dan.txt").write_text("Hướng dẫn cài VNeID. " * 200)
    with pytest.raises(ValidationError) as caught:
        kb_ingest(path=tmp_path / "huong-dan.txt")
    assert "quá lớn" in caught.value.messages[0]


# ------------------------------------------------------------------------ PDF


def test_seed_pdfs_are_read_in_the_limited_child():
    for path in sorted(FIXTURES.glob("kh-*.pdf")):
        if ".scan." in path.name:
            continue
        started = time.perf_counter()
        result = extract_text(data=path.read_bytes(), filename=path.name)
        assert result.method == "pdf" and "KẾ HOẠCH" in result.text.upper()
        assert time.perf_counter() - started < 5


def test_pdf_that_makes_the_parser_spin_is_stopped(monkeypatch):
    monkeypatch.setattr("loa.core.uploads.limited.PDF_CPU_SECONDS", 2)
    monkeypatch.setattr("loa.core.uploads.limited.PDF_TIMEOUT_SECONDS", 20)
    data = spinning_pdf()
    assert len(data) < 20_000
    started = time.perf_counter()
    with pytest.raises(ExtractionError) as caught:
        extract_text(data=data, filename="ke-hoach.pdf")
    assert caught.value.code == "parse_limit"
    assert is_vietnamese_sentence(caught.value.message)
    assert time.perf_counter() - started < 15


def test_spinning_pdf_upload_fails_cleanly_and_saves_no_plan(
    client, manager, monkeypatch
):
    monkeypatch.setattr("loa.core.uploads.limited.PDF_CPU_SECONDS", 30)
    # the wall clock this time
    monkeypatch.setattr("loa.core.uploads.limited.PDF_TIMEOUT_SECONDS", 1)
    client.force_login(manager)
    units = Unit.objects.count()
    upload = SimpleUploadedFile("ke-hoach.pdf", spinning_pdf())
    response = client.post(reverse("plans:plan_upload"), {"file": upload})
    assert response.status_code == 400
    assert "quá nhiều thời gian" in form_error(response, "file")
    assert Plan.objects.count() == 0
    assert Unit.objects.count() == units


def test_limits_stop_a_child_that_burns_cpu_sleeps_or_eats_memory():
    burn = [sys.executable, "-c", "while True: pass"]
    started = time.perf_counter()
    with pytest.raises(uploads.LimitExceeded) as caught:
        uploads.run_limited(burn, timeout=30, cpu_seconds=1)
    assert caught.value.code == "parse_limit"
    assert time.perf_counter() - started < 10

    sleep = [sys.executable, "-c", "import time; time.sleep(60)"]
    started = time.perf_counter()
    with pytest.raises(uploads.LimitExceeded):
        uploads.run_limited(sleep, timeout=1, cpu_seconds=30)
    assert time.perf_counter() - started < 5

    eat = [sys.executable, "-c", "x = bytearray(2 * 1024**3)"]
    result = uploads.run_limited(eat, timeout=30, memory_bytes=512 * 1024**2)
    assert result.returncode != 0  # MemoryError in the child, the server untouched

    with pytest.raises(UploadError) as caught:
        uploads.pdf_page_texts(PDF.read_bytes(), memory_bytes=16 * 1024**2)
    assert caught.value.code == "parse_limit"


# ------------------------------------------------------------ CMS documents

DOCUMENT_FORM = {
    "WAGTAILDOCS_DOCUMENT_FORM_BASE": "loa.content.document_forms.LoaDocumentForm"
}


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("chuong-trinh.exe", b"MZ\x90\x00" + bytes(60), "đuôi"),
        ("bieu-mau.pdf", b"MZ\x90\x00" + bytes(60), "chương trình"),
        ("trang.html", b"<html><script>alert(1)</script></html>", "đuôi"),
        ("ghi-chu.txt", b"<!DOCTYPE html><script>alert(1)</script>", "HTML"),
        ("bieu-mau.docx", None, "bom nén"),
    ],
)
def test_cms_document_guards(client, editor, settings, name, data, words):
    from wagtail.documents import get_document_model

    for key, value in DOCUMENT_FORM.items():
        setattr(settings, key, value)
    data = zip_bomb_docx() if data is None else data
    response = client.post(
        "/cms/documents/add/",
        {"title": "Biểu mẫu", "file": SimpleUploadedFile(name, data)},
    )
    assert response.status_code == 200  # the form again, with the error
    error = form_error(response, "file")
    assert words in error and is_vietnamese_sentence(error), error
    assert get_document_model().objects.count() == 0


def test_cms_document_size_limit_and_good_documents(client, editor, settings):
    from wagtail.documents import get_document_model

    for key, value in DOCUMENT_FORM.items():
        setattr(settings, key, value)
    response = client.post(
        "/cms/documents/add/",
        {
            "title": "Kế hoạch",
            "file": SimpleUploadedFile("ke-hoach.pdf", PDF.read_bytes()),
        },
    )
    assert response.status_code == 302
    response = client.post(
        "/cms/documents/add/",
        {
            "title": "Ảnh quét",
            "file": SimpleUploadedFile("ban-quet.jpg", jpeg_with_gps()),
        },
    )
    assert response.status_code == 302
    scan = get_document_model().objects.get(title="Ảnh quét")
    with scan.open_file() as stored:
        assert_no_metadata(stored.read())

    settings.LOA_MAX_UPLOAD_BYTES = 1000
    response = client.post(
        "/cms/documents/add/",
        {"title": "Lớn", "file": SimpleUploadedFile("lon.pdf", PDF.read_bytes())},
    )
    assert response.status_code == 200
    assert "quá lớn" in form_error(response, "file")
    assert get_document_model().objects.count() == 2
