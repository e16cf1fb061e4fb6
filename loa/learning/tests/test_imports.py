import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from loa.core import roles
from loa.core.models import AuditLog, ResidentialGroup
from loa.core.tests.factories import UnitFactory, WardFactory, staff_user
from loa.learning import imports, teams
from loa.learning.models import Learner, TargetGroup, TeamMember

LEARNER_HEADERS = ["Họ và tên", "Năm sinh", "Tổ dân phố", "Đối tượng", "Số điện thoại"]
MEMBER_HEADERS = ["Tổ dân phố", "Họ và tên", "Vai trò", "Số điện thoại"]


def xlsx(rows: list[list]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def iward(db):
    ward = WardFactory(name="Hải Dương", slug="hai-duong-imports")
    for n in (1, 2, 3):
        ResidentialGroup.objects.create(ward=ward, name=f"Tổ dân phố số {n}", order=n)
    return ward


@pytest.fixture
def manager(iward):
    return staff_user(ward=iward, role=roles.CULTURE_STAFF)


def group(ward, n: int) -> ResidentialGroup:
    return ResidentialGroup.objects.get(ward=ward, name=f"Tổ dân phố số {n}")


LEARNER_FILE = [
    ["Danh sách học viên Bình dân học vụ số"],  # a title row above the header
    [" HỌ VÀ TÊN ", "Năm sinh", "Tổ dân phố", "Đối tượng", "SĐT"],
    ["Nguyễn Văn An", 1958, "Tổ dân phố số 1", "Người dân", "0912 345 678"],  # 3
    ["Trần Thị Bình", "1975", "TDP 2", "cong_chuc", None],  # 4
    ["Lê Văn Cường", 1990.0, "tổ 3", "Doanh nghiệp, hộ kinh doanh", 912345679],  # 5
    [None, 1960, "Tổ dân phố số 1", "Người dân", None],  # 6 missing name
    ["Phạm Thị Dung", "năm 60", "Tổ dân phố số 1", None, None],  # 7 year not a number
    ["Hoàng Văn Em", 1850, "Tổ dân phố số 1", None, None],  # 8 out of range
    ["Vũ Thị Phượng", 1965, "Tổ dân phố số 9", None, None],  # 9 unknown group
    ["Đỗ Văn Giang", 1970, "Tổ dân phố số 2", None, "12345"],  # 10 bad phone
    ["Bùi Thị Hoa", 1980, "Tổ dân phố số 2", "Học sinh", None],  # 11 bad target group
    ["Nguyễn Văn An", 1958, "Tổ dân phố số 1", "Người dân", None],  # 12 duplicate of 3
    [None, None, None, None, None],  # blank line: not a row of data
    ["Ngô Thị Ích", 1968, "Tổ dân phố số 3", "", None],  # 14
]


def test_learner_import_reports_each_bad_row_and_imports_the_rest(iward, manager):
    report = imports.learners_import(ward=iward, data=xlsx(LEARNER_FILE), by=manager)

    errors = {e.row: e.reason for e in report.errors}
    assert report.imported == 4
    assert report.duplicates == 1 and report.duplicate_rows == [12]
    assert sorted(errors) == [6, 7, 8, 9, 10, 11]
    assert errors[6] == "Thiếu họ và tên."
    assert "không phải là số" in errors[7]
    assert "1900" in errors[8]
    assert "Không có tổ dân phố “Tổ dân phố số 9”" in errors[9]
    assert "Số điện thoại 12345 không hợp lệ" in errors[10]
    assert "Đối tượng “Học sinh” không hợp lệ" in errors[11]
    # Nothing silently dropped: every data row is in exactly one bucket.
    assert report.total == 11


def test_imported_learners_get_their_values_and_consent(iward, manager):
    before = timezone.now()

    imports.learners_import(ward=iward, data=xlsx(LEARNER_FILE), by=manager)

    an = Learner.objects.get(name="Nguyễn Văn An")
    assert (an.birth_year, an.residential_group, an.phone) == (
        1958,
        group(iward, 1),
        "0912345678",
    )
    binh = Learner.objects.get(name="Trần Thị Bình")
    assert (binh.target_group, binh.residential_group) == (
        TargetGroup.CIVIL_SERVANT,
        group(iward, 2),
    )
    cuong = Learner.objects.get(name="Lê Văn Cường")
    assert cuong.target_group == TargetGroup.BUSINESS
    assert cuong.phone == "0912345679"  # leading zero restored
    assert Learner.objects.get(name="Ngô Thị Ích").target_group == TargetGroup.RESIDENT
    assert all(learner.consent_at >= before for learner in Learner.objects.all())
    log = AuditLog.objects.get(action=AuditLog.Action.IMPORT)
    assert "giấy" in log.changes["consent"]


def test_reimporting_the_same_learner_file_creates_nothing_new(iward, manager):
    data = xlsx(LEARNER_FILE)
    imports.learners_import(ward=iward, data=data, by=manager)

    report = imports.learners_import(ward=iward, data=data, by=manager)

    assert report.imported == 0
    assert report.duplicates == 5
    assert len(report.errors) == 6
    assert Learner.objects.count() == 4


def test_learner_registered_in_another_ward_is_not_a_duplicate(iward, manager):
    other = WardFactory()
    other_group = ResidentialGroup.objects.create(ward=other, name="Tổ dân phố số 1")
    Learner.objects.create(
        ward=other,
        name="Nguyễn Văn An",
        birth_year=1958,
        residential_group=other_group,
        consent_at=timezone.now(),
    )

    report = imports.learners_import(
        ward=iward,
        data=xlsx([LEARNER_HEADERS, ["Nguyễn Văn An", 1958, "Tổ dân phố số 1"]]),
    )

    assert report.imported == 1


def test_member_import_reports_bad_rows_and_skips_duplicates(iward, manager):
    team1 = teams.team_create(ward=iward, residential_group=group(iward, 1))
    teams.team_create(ward=iward, residential_group=group(iward, 2))
    rows = [
        MEMBER_HEADERS,
        ["Tổ dân phố số 1", "Trần Văn Bình", "Tổ trưởng", "0912345678"],  # 2
        ["TDP 2", "Lê Thị Cúc", "to_pho", None],  # 3
        ["Tổ dân phố số 1", "Phạm Văn Dũng", None, None],  # 4 default role
        ["Tổ dân phố số 1", "Hoàng Thị Em", "Chủ tịch", None],  # 5 unknown role
        ["Tổ dân phố số 3", "Vũ Văn Phúc", "Thành viên", None],  # 6 group has no team
        ["Tổ dân phố số 8", "Đỗ Thị Giang", "Thành viên", None],  # 7 unknown group
        ["Tổ dân phố số 1", None, "Thành viên", None],  # 8 missing name
        ["Tổ dân phố số 1", "Ngô Văn Hải", "Thành viên", "09-12"],  # 9 bad phone
        [
            "Tổ dân phố số 1",
            "Trần Văn Bình",
            "Tổ trưởng",
            "0912.345.678",
        ],  # 10 dup of 2
    ]
    data = xlsx(rows)

    report = imports.team_members_import(ward=iward, data=data, by=manager)
    again = imports.team_members_import(ward=iward, data=data, by=manager)

    errors = {e.row: e.reason for e in report.errors}
    assert report.imported == 3 and report.duplicate_rows == [10]
    assert sorted(errors) == [5, 6, 7, 8, 9]
    assert "Vai trò “Chủ tịch” không hợp lệ" in errors[5]
    assert "chưa có tổ công nghệ số" in errors[6]
    assert "Không có tổ dân phố" in errors[7]
    assert errors[8] == "Thiếu họ và tên."
    assert "Số điện thoại" in errors[9]
    assert team1.members.get(name="Trần Văn Bình").role == TeamMember.Role.LEADER
    assert team1.members.get(name="Phạm Văn Dũng").role == TeamMember.Role.MEMBER
    assert (again.imported, again.duplicates) == (0, 4)
    assert TeamMember.objects.count() == 3


def test_a_row_with_several_problems_lists_them_all(iward):
    report = imports.learners_import(
        ward=iward, data=xlsx([LEARNER_HEADERS, ["", "abc", "Tổ 99", "x", "1"]])
    )

    reason = report.errors[0].reason
    assert "Thiếu họ và tên" in reason and "Năm sinh" in reason
    assert (
        "tổ dân phố" in reason and "Đối tượng" in reason and "Số điện thoại" in reason
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"this is not a spreadsheet", "không phải bảng tính Excel (.xlsx)"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "Excel đời cũ (.xls)"),
    ],
)
def test_unreadable_file_is_refused_with_a_vietnamese_error(iward, data, message):
    with pytest.raises(ValidationError) as exc:
        imports.learners_import(ward=iward, data=data)
    assert message in exc.value.messages[0]


def test_zip_that_is_not_a_workbook_is_refused(iward):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
        archive.writestr("[Content_Types].xml", "<Types/>")

    with pytest.raises(ValidationError) as exc:
        imports.learners_import(ward=iward, data=buffer.getvalue())
    assert exc.value.code == "not_xlsx"


def test_workbook_with_corrupt_xml_is_refused(iward):
    source = zipfile.ZipFile(io.BytesIO(xlsx([LEARNER_HEADERS])))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in source.namelist():
            content = source.read(name)
            if name.startswith("xl/worksheets/"):
                content = content[: len(content) // 2]
            archive.writestr(name, content)

    with pytest.raises(ValidationError) as exc:
        imports.learners_import(ward=iward, data=buffer.getvalue())
    assert exc.value.code == "not_xlsx"


def test_file_over_the_size_limit_is_refused(iward, monkeypatch):
    monkeypatch.setattr(imports, "MAX_FILE_BYTES", 100)

    with pytest.raises(ValidationError) as exc:
        imports.learners_import(ward=iward, data=xlsx([LEARNER_HEADERS]))
    assert exc.value.code == "too_large"
    assert "20 MB" in exc.value.messages[0]


def test_file_with_too_many_rows_is_refused_and_imports_nothing(iward, monkeypatch):
    monkeypatch.setattr(imports, "MAX_ROWS", 3)
    rows = [LEARNER_HEADERS] + [
        [f"Người {n}", 1960, "Tổ dân phố số 1"] for n in range(20)
    ]

    with pytest.raises(ValidationError) as exc:
        imports.learners_import(ward=iward, data=xlsx(rows))
    assert exc.value.code == "too_many_rows"
    assert not Learner.objects.exists()


def test_file_without_the_required_columns_is_refused(iward):
    with pytest.raises(ValidationError) as exc:
        imports.learners_import(ward=iward, data=xlsx([["Tên", "Tuổi"], ["An", 60]]))
    assert exc.value.code == "missing_columns"
    assert "Năm sinh" in exc.value.messages[0]


@pytest.mark.parametrize("kind", ["hoc-vien", "thanh-vien-to"])
def test_downloaded_template_has_the_headers_and_imports_as_empty(iward, manager, kind):
    response = _client(manager).get(f"/hoc/quan-ly/nhap-danh-sach/mau-{kind}.xlsx")

    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    headers = [c.value for c in next(sheet.iter_rows(max_row=1))]
    expected = LEARNER_HEADERS if kind == "hoc-vien" else MEMBER_HEADERS
    assert headers == expected
    report = imports.IMPORTERS[kind](ward=iward, data=response.content)
    assert report.total == 0


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_upload_page_shows_the_report(iward, manager):
    upload = SimpleUploadedFile("hoc-vien.xlsx", xlsx(LEARNER_FILE))

    response = _client(manager).post(
        "/hoc/quan-ly/nhap-danh-sach/", {"kind": "hoc-vien", "file": upload}
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert 'Đã nhập: <strong class="period-ok">4</strong>' in html
    assert "Thiếu họ và tên." in html


def test_upload_page_shows_a_corrupt_file_error(iward, manager):
    upload = SimpleUploadedFile("hoc-vien.xlsx", b"PK\x03\x04 broken")

    response = _client(manager).post(
        "/hoc/quan-ly/nhap-danh-sach/", {"kind": "hoc-vien", "file": upload}
    )

    assert response.status_code == 400
    assert "không phải bảng tính Excel" in response.content.decode()


def test_upload_page_is_for_plan_managers_only(iward):
    user = staff_user(ward=iward, unit=UnitFactory(ward=iward))

    response = _client(user).get("/hoc/quan-ly/nhap-danh-sach/")

    assert response.status_code == 403
