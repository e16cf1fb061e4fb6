"""Bulk import of learners and team members from .xlsx, with a row-by-row report.

Every data row ends up in exactly one bucket of the report: imported, duplicate (already
in the ward, or earlier in the same file) or error (with its row number and a reason).
Rows are validated first and written in one transaction, so a file is either imported
as reported or, on a file-level error, not at all.

Consent: people on an imported list have not clicked the consent box in Loa. The ward
collects their consent on paper (the registration form of the class or the tổ dân phố),
so imported learners get `consent_at` = the time of import, and the audit log entry of
the import records that consent was collected on paper by the ward.
"""

import io
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from loa.core import uploads
from loa.core.models import AuditLog, ResidentialGroup, Ward
from loa.core.privacy import normalize_phone
from loa.core.services import audit_record
from loa.core.spreadsheets import append_row
from loa.vn import fold_lower, format_number, nfc

from .models import Learner, TargetGroup, Team, TeamMember, validate_birth_year

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_ROWS = 50_000
# A 20 MB .xlsx that unpacks past this is a zip bomb, not a list of residents.
MAX_UNZIPPED_BYTES = 400 * 1024 * 1024
HEADER_SCAN_ROWS = 10

CONSENT_NOTE = "Phiếu đồng ý lưu dữ liệu do phường thu trên giấy khi lập danh sách."

LEARNER_COLUMNS = {
    "name": ("Họ và tên", ["ho va ten", "ho ten", "ten"]),
    "birth_year": ("Năm sinh", ["nam sinh"]),
    "residential_group": ("Tổ dân phố", ["to dan pho", "tdp", "to"]),
    "target_group": ("Đối tượng", ["doi tuong", "nhom doi tuong"]),
    "phone": ("Số điện thoại", ["so dien thoai", "dien thoai", "sdt", "so dt"]),
}
LEARNER_REQUIRED = ("name", "birth_year", "residential_group")

MEMBER_COLUMNS = {
    "residential_group": ("Tổ dân phố", ["to dan pho", "tdp", "to"]),
    "name": ("Họ và tên", ["ho va ten", "ho ten", "ten"]),
    "role": ("Vai trò", ["vai tro", "chuc vu"]),
    "phone": ("Số điện thoại", ["so dien thoai", "dien thoai", "sdt", "so dt"]),
}
MEMBER_REQUIRED = ("residential_group", "name")


class ImportFileError(ValidationError):
    """The file as a whole cannot be read; nothing was imported."""


@dataclass
class RowError:
    row: int
    reason: str


@dataclass
class ImportReport:
    kind: str
    imported: int = 0
    duplicates: int = 0
    errors: list[RowError] = field(default_factory=list)
    duplicate_rows: list[int] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.imported + self.duplicates + len(self.errors)

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "total": self.total,
            "imported": self.imported,
            "duplicates": self.duplicates,
            "duplicate_rows": self.duplicate_rows,
            "errors": [{"row": e.row, "reason": e.reason} for e in self.errors],
        }


# --- reading the workbook -----------------------------------------------------------


def _open_rows(data: bytes) -> list[tuple[int, tuple]]:
    """Return (row number, values) of the first sheet, refusing unsafe or unreadable files."""
    if len(data) > MAX_FILE_BYTES:
        raise ImportFileError(
            "Tệp quá lớn (tối đa 20 MB). Vui lòng chia danh sách thành nhiều tệp.",
            code="too_large",
        )
    try:
        uploads.check_size(len(data))  # the site limit, when set below 20 MB
    except uploads.UploadError as exc:
        raise ImportFileError(exc.message, code=exc.code) from exc
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise ImportFileError(
            "Đây là tệp Excel đời cũ (.xls). Vui lòng mở bằng Excel và lưu lại dưới "
            "dạng .xlsx rồi tải lên.",
            code="old_xls",
        )
    not_xlsx = ImportFileError(
        "Tệp không phải bảng tính Excel (.xlsx) hoặc đã bị hỏng. Vui lòng dùng tệp mẫu "
        "và lưu dưới dạng .xlsx.",
        code="not_xlsx",
    )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, OSError, EOFError) as exc:
        raise not_xlsx from exc
    if "xl/workbook.xml" not in names or "[Content_Types].xml" not in names:
        raise not_xlsx
    try:
        # Zip bomb (entries, unpacked size, ratio) from the central directory, then XML
        # parts declaring a DOCTYPE or ENTITY: refused before openpyxl parses anything.
        uploads.check_office_zip(data, max_unpacked=MAX_UNZIPPED_BYTES)
    except uploads.UploadError as exc:
        if exc.code == "corrupt":
            raise not_xlsx from exc
        raise ImportFileError(exc.message, code=exc.code) from exc
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            sheet = workbook.worksheets[0]
            rows = []
            for number, values in enumerate(sheet.iter_rows(values_only=True), 1):
                # Formatted but empty rows are common in real lists; they cost nothing.
                if not any(v is not None and str(v).strip() for v in values or ()):
                    continue
                rows.append((number, values))
                if len(rows) > MAX_ROWS + HEADER_SCAN_ROWS:
                    raise ImportFileError(
                        "Tệp có quá nhiều dòng (tối đa %(max)s dòng). Vui lòng chia "
                        "thành nhiều tệp.",
                        code="too_many_rows",
                        params={"max": format_number(MAX_ROWS)},
                    )
        finally:
            workbook.close()
    except ImportFileError:
        raise
    except Exception as exc:  # noqa: BLE001 - any parser failure means an unreadable upload
        raise not_xlsx from exc
    return rows


def _find_header(
    rows: list[tuple[int, tuple]], columns: dict, required: tuple[str, ...]
) -> tuple[int, dict[str, int]]:
    """Locate the header row among the first rows and map field -> column index."""
    best: tuple[int, dict[str, int]] = (-1, {})
    for position, (_number, values) in enumerate(rows[:HEADER_SCAN_ROWS]):
        mapping: dict[str, int] = {}
        for index, value in enumerate(values or ()):
            if value is None:
                continue
            folded = " ".join(fold_lower(str(value)).replace("*", " ").split())
            for key, (_label, aliases) in columns.items():
                if key not in mapping and folded in aliases:
                    mapping[key] = index
        if len(mapping) > len(best[1]):
            best = (position, mapping)
    position, mapping = best
    missing = [columns[k][0] for k in required if k not in mapping]
    if missing:
        raise ImportFileError(
            "Không tìm thấy cột %(columns)s. Dòng tiêu đề cần có: %(all)s.",
            code="missing_columns",
            params={
                "columns": ", ".join(missing),
                "all": ", ".join(label for label, _ in columns.values()),
            },
        )
    return position, mapping


def _cell(values: tuple, mapping: dict[str, int], key: str):
    index = mapping.get(key)
    if index is None or index >= len(values):
        return None
    value = values[index]
    if isinstance(value, str):
        value = " ".join(nfc(value).split())
        return value or None
    return value


def _data_rows(data: bytes, columns: dict, required: tuple[str, ...]):
    rows = _open_rows(data)
    position, mapping = _find_header(rows, columns, required)
    data_rows = rows[position + 1 :]
    if len(data_rows) > MAX_ROWS:
        raise ImportFileError(
            "Tệp có quá nhiều dòng (tối đa %(max)s dòng). Vui lòng chia thành nhiều tệp.",
            code="too_many_rows",
            params={"max": format_number(MAX_ROWS)},
        )
    return [
        (number, {key: _cell(values, mapping, key) for key in columns})
        for number, values in data_rows
    ]


# --- value parsing ------------------------------------------------------------------


def _group_key(name: str) -> str:
    """Fold a tổ dân phố name so that "TDP 3", "Tổ 3" and "Tổ dân phố số 3" match."""
    folded = " ".join(fold_lower(name).split())
    for prefix in ("to dan pho", "tdp", "to"):
        if folded.startswith(prefix + " ") or (
            prefix == "tdp" and folded.startswith(prefix)
        ):
            folded = folded[len(prefix) :].strip()
            break
    if folded.startswith("so "):
        folded = folded[3:].strip()
    return folded.lstrip("0") or folded


def _group_index(ward: Ward) -> dict[str, ResidentialGroup]:
    index: dict[str, ResidentialGroup] = {}
    for group in ResidentialGroup.objects.filter(ward=ward):
        index.setdefault(_group_key(group.name), group)
    return index


# Rows are checked with the models' own validators (`validate_birth_year`,
# `normalize_phone`), called directly: `full_clean()` on every row would ask the database
# about each learner's unique access key, tens of thousands of times for one file.


def _birth_year(value) -> int:
    """Read a birth year from a cell (a number, text or a date) and check its range."""
    if isinstance(value, datetime | date):
        year = value.year
    elif isinstance(value, bool):
        raise ValidationError("Năm sinh phải là số, ví dụ 1960.", code="bad_year")
    elif isinstance(value, int | float):
        if isinstance(value, float) and not value.is_integer():
            raise ValidationError("Năm sinh phải là số, ví dụ 1960.", code="bad_year")
        year = int(value)
    else:
        text = str(value).strip()
        if not text.isdigit():
            raise ValidationError(
                "Năm sinh “%(value)s” không phải là số (ví dụ 1960).",
                code="bad_year",
                params={"value": text},
            )
        year = int(text)
    validate_birth_year(year)
    return year


def _choice(value, choices: list[tuple[str, str]], default: str) -> str | None:
    if value is None:
        return default
    folded = " ".join(fold_lower(str(value)).split())
    for code, label in choices:
        if folded in (code, fold_lower(label), fold_lower(code.replace("_", " "))):
            return code
    return None


TARGET_GROUP_ALIASES = {
    "cong chuc": TargetGroup.CIVIL_SERVANT,
    "can bo": TargetGroup.CIVIL_SERVANT,
    "can bo cong chuc": TargetGroup.CIVIL_SERVANT,
    "vien chuc": TargetGroup.CIVIL_SERVANT,
    "doanh nghiep": TargetGroup.BUSINESS,
    "ho kinh doanh": TargetGroup.BUSINESS,
    "nguoi dan": TargetGroup.RESIDENT,
}


def _target_group(value) -> str | None:
    code = _choice(value, TargetGroup.choices, TargetGroup.RESIDENT)
    if code is None:
        code = TARGET_GROUP_ALIASES.get(" ".join(fold_lower(str(value)).split()))
    return code


def _message(exc: ValidationError) -> str:
    return " ".join(exc.messages)


# --- imports ------------------------------------------------------------------------


def learners_import(*, ward: Ward, data: bytes, by=None) -> ImportReport:
    """Import learners from an .xlsx list; duplicates (same name, birth year, tổ) are skipped."""
    rows = _data_rows(data, LEARNER_COLUMNS, LEARNER_REQUIRED)
    report = ImportReport(kind="learners")
    groups = _group_index(ward)
    seen = {
        (name.casefold(), year, group_id)
        for name, year, group_id in Learner.objects.filter(ward=ward).values_list(
            "name", "birth_year", "residential_group_id"
        )
    }
    now = timezone.now()
    new: list[Learner] = []
    for number, row in rows:
        reasons = []
        name = row["name"]
        if not name:
            reasons.append("Thiếu họ và tên.")
        elif len(str(name)) > 120:
            reasons.append("Họ và tên dài quá 120 ký tự.")
        year = None
        if row["birth_year"] is None:
            reasons.append("Thiếu năm sinh.")
        else:
            try:
                year = _birth_year(row["birth_year"])
            except ValidationError as exc:
                reasons.append(_message(exc))
        group = None
        if row["residential_group"] is None:
            reasons.append("Thiếu tổ dân phố.")
        else:
            group = groups.get(_group_key(str(row["residential_group"])))
            if group is None:
                reasons.append(
                    f"Không có tổ dân phố “{row['residential_group']}” trong phường."
                )
        target_group = _target_group(row["target_group"])
        if target_group is None:
            reasons.append(
                f"Đối tượng “{row['target_group']}” không hợp lệ (chọn: "
                + "; ".join(label for _, label in TargetGroup.choices)
                + ")."
            )
        try:
            phone = normalize_phone(row["phone"])
        except ValidationError as exc:
            reasons.append(_message(exc))
        if reasons:
            report.errors.append(RowError(number, " ".join(reasons)))
            continue
        name = str(name)
        key = (name.casefold(), year, group.pk)
        if key in seen:
            report.duplicates += 1
            report.duplicate_rows.append(number)
            continue
        seen.add(key)
        new.append(
            Learner(
                ward=ward,
                name=name,
                birth_year=year,
                residential_group=group,
                target_group=target_group,
                phone=phone,
                consent_at=now,
            )
        )
    with transaction.atomic():
        Learner.objects.bulk_create(new, batch_size=1000)
        report.imported = len(new)
        audit_record(
            action=AuditLog.Action.IMPORT,
            actor=by,
            ward=ward,
            object_repr=f"Nhập danh sách học viên: {report.imported} người",
            changes={**report.as_dict(), "consent": CONSENT_NOTE},
        )
    return report


def team_members_import(*, ward: Ward, data: bytes, by=None) -> ImportReport:
    """Import team members from an .xlsx list; duplicates (same team, name, phone) are skipped."""
    rows = _data_rows(data, MEMBER_COLUMNS, MEMBER_REQUIRED)
    report = ImportReport(kind="members")
    teams = {
        _group_key(team.residential_group.name): team
        for team in Team.objects.filter(ward=ward).select_related("residential_group")
    }
    groups = _group_index(ward)
    seen = {
        (team_id, name.casefold(), phone)
        for team_id, name, phone in TeamMember.objects.filter(
            team__ward=ward
        ).values_list("team_id", "name", "phone")
    }
    new: list[TeamMember] = []
    for number, row in rows:
        reasons = []
        name = row["name"]
        if not name:
            reasons.append("Thiếu họ và tên.")
        elif len(str(name)) > 120:
            reasons.append("Họ và tên dài quá 120 ký tự.")
        team = None
        if row["residential_group"] is None:
            reasons.append("Thiếu tổ dân phố.")
        else:
            key = _group_key(str(row["residential_group"]))
            team = teams.get(key)
            if team is None and key in groups:
                reasons.append(
                    f"{groups[key].name} chưa có tổ công nghệ số cộng đồng; "
                    "hãy tạo tổ trước khi nhập thành viên."
                )
            elif team is None:
                reasons.append(
                    f"Không có tổ dân phố “{row['residential_group']}” trong phường."
                )
        role = _choice(row["role"], TeamMember.Role.choices, TeamMember.Role.MEMBER)
        if role is None:
            reasons.append(
                f"Vai trò “{row['role']}” không hợp lệ (chọn: Tổ trưởng, Tổ phó, "
                "Thành viên)."
            )
        try:
            phone = normalize_phone(row["phone"])
        except ValidationError as exc:
            reasons.append(_message(exc))
        if reasons:
            report.errors.append(RowError(number, " ".join(reasons)))
            continue
        name = str(name)
        key = (team.pk, name.casefold(), phone)
        if key in seen:
            report.duplicates += 1
            report.duplicate_rows.append(number)
            continue
        seen.add(key)
        new.append(TeamMember(team=team, name=name, role=role, phone=phone))
    with transaction.atomic():
        TeamMember.objects.bulk_create(new, batch_size=1000)
        report.imported = len(new)
        audit_record(
            action=AuditLog.Action.IMPORT,
            actor=by,
            ward=ward,
            object_repr=f"Nhập danh sách thành viên tổ công nghệ số: {report.imported} người",
            changes=report.as_dict(),
        )
    return report


IMPORTERS = {"hoc-vien": learners_import, "thanh-vien-to": team_members_import}


TEMPLATE_GUIDE = {
    "hoc-vien": [
        "Mỗi dòng một học viên. Bắt buộc: Họ và tên, Năm sinh (4 chữ số), Tổ dân phố "
        "(đúng tên tổ trong phường, ví dụ “Tổ dân phố số 1”).",
        "Đối tượng: Người dân; Cán bộ, công chức, viên chức; hoặc Doanh nghiệp, hộ kinh "
        "doanh. Để trống là Người dân.",
        "Số điện thoại không bắt buộc. Chỉ ghi những người đã ký phiếu đồng ý lưu dữ liệu.",
        "Nhập lại cùng một tệp không tạo trùng: người cùng họ tên, năm sinh và tổ dân "
        "phố được bỏ qua.",
    ],
    "thanh-vien-to": [
        "Mỗi dòng một thành viên. Bắt buộc: Tổ dân phố (tổ đã có tổ công nghệ số) và "
        "Họ và tên.",
        "Vai trò: Tổ trưởng, Tổ phó hoặc Thành viên. Để trống là Thành viên.",
        "Nhập lại cùng một tệp không tạo trùng: cùng tổ, họ tên và số điện thoại được "
        "bỏ qua.",
    ],
}


def import_template(kind: str) -> bytes:
    """Return an .xlsx with the expected headers and a second sheet of instructions."""
    if kind == "hoc-vien":
        title, columns = "Học viên", LEARNER_COLUMNS
    elif kind == "thanh-vien-to":
        title, columns = "Thành viên tổ", MEMBER_COLUMNS
    else:
        raise ValueError(kind)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    headers = [label for label, _ in columns.values()]
    append_row(sheet, headers)
    for index in range(len(headers)):
        sheet.column_dimensions[chr(ord("A") + index)].width = 26
    # Phone numbers as text, so that Excel keeps the leading zero.
    phone_column = headers.index("Số điện thoại") + 1
    for (cell,) in sheet.iter_rows(
        min_row=2, max_row=1000, min_col=phone_column, max_col=phone_column
    ):
        cell.number_format = "@"
    guide = workbook.create_sheet("Hướng dẫn")
    guide.column_dimensions["A"].width = 110
    for line in TEMPLATE_GUIDE[kind]:
        append_row(guide, [line])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
