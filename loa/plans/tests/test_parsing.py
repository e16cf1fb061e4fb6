"""Parsing official plans: the seed contract, every fixture in every format, bad input."""

import json
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loa.plans.extract import extract_text
from loa.plans.parsing import ParsedPlan, PlanParseError, parse_plan
from loa.vn import fold_lower

SEED_NAME = "ke-hoach-77-KH-UBND-2026.ocr.txt"
SHARED_SEED = Path(__file__).resolve().parents[3].parent / "shared" / "seed" / SEED_NAME
PACKAGED_SEED = Path(__file__).resolve().parents[2] / "data" / "seed" / SEED_NAME
FIXTURES = Path(__file__).resolve().parent / "fixtures"

SEED_UNITS = [
    ("Phòng Văn hóa - Xã hội", 5),
    ("Phòng Kinh tế, Hạ tầng và Đô thị", 1),
    ("Trung tâm Dịch vụ sự nghiệp công", 3),
    ("Các phòng, ban, đơn vị phường", 1),
    ("Mặt trận Tổ quốc Việt Nam, các tổ chức chính trị - xã hội phường", 1),
]
PLAN_KEYS = {
    "number",
    "date",
    "issuer",
    "place",
    "title",
    "doc_type",
    "signer",
    "signer_position",
    "implements",
    "sections",
    "units",
    "restored_text",
    "warnings",
}


def seed_text() -> str:
    path = SHARED_SEED if SHARED_SEED.exists() else PACKAGED_SEED
    return path.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def seed() -> ParsedPlan:
    return parse_plan(seed_text())


def is_vietnamese_message(message: str) -> bool:
    return (
        bool(message.strip())
        and "\n" not in message
        and unicodedata.normalize("NFC", message) == message
        and any(
            ch in message
            for ch in "ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ"
        )
    )


# ---------------------------------------------------------------- the seed plan


def test_packaged_seed_is_a_copy_of_the_shared_seed():
    if not SHARED_SEED.exists():
        pytest.skip("the shared seed is not on this machine")
    assert PACKAGED_SEED.read_bytes() == SHARED_SEED.read_bytes()


def test_seed_number_date_and_signer(seed):
    assert seed.number == "77/KH-UBND"
    assert seed.date.isoformat() == "2026-03-04"
    assert seed.signer == "Phạm Thị Thanh Vân"
    assert seed.signer_position == "Chủ tịch"
    assert seed.doc_type == "Kế hoạch"


def test_seed_issuer_is_split_from_the_national_motto(seed):
    assert seed.issuer == "Ủy ban nhân dân phường Hải Dương"
    assert seed.place == "Hải Dương"


def test_seed_units_and_task_counts(seed):
    assert [(unit.name, len(unit.tasks)) for unit in seed.units] == SEED_UNITS


def test_seed_sections_are_found_by_heading_words_not_ocr_numbers(seed):
    # The OCR turned "III." into "1." and "IV." into "111.".
    assert [section.heading for section in seed.sections] == [
        "Mục đích, yêu cầu",
        "Nội dung, hình thức tuyên truyền",
        "Kinh phí",
        "Tổ chức thực hiện",
    ]


def test_seed_recipients_and_closing_are_not_sections_or_tasks(seed):
    items = [fold_lower(item) for section in seed.sections for item in section.items]
    assert not any(item.startswith(("noi nhan", "tren day")) for item in items)
    last_unit = seed.units[-1]
    assert len(last_unit.tasks) == 1
    assert "tren day" not in fold_lower(last_unit.tasks[0].text)


def test_seed_sub_headings_and_plus_bullets_are_items_of_their_section(seed):
    purpose = seed.sections[0]
    assert len(purpose.items) == 7  # "Mục đích", 3 bullets, "Yêu cầu", 2 paragraphs
    content = seed.sections[1]
    assert len(content.items) == 21


def test_seed_roles(seed):
    roles = [[task.role for task in unit.tasks] for unit in seed.units]
    assert roles[0] == ["chu_tri", None, "chu_tri", "chu_tri", "chu_tri"]
    assert roles[1] == ["chu_tri"]  # "… chủ trì tham mưu …" mid-sentence
    assert roles[2] == ["phoi_hop", None, None]
    assert roles[3] == ["phoi_hop"]
    assert roles[4] == ["phoi_hop"]


def test_seed_budget_kind_thuong_xuyen_is_not_a_recurrence(seed):
    # "bố trí kinh phí thường xuyên" names a kind of budget.
    assert seed.units[1].tasks[0].recurrence is None


def test_seed_recurrences(seed):
    centre = seed.units[2]
    assert [task.recurrence for task in centre.tasks] == [
        None,
        "hang_tuan",
        "thuong_xuyen",
    ]


def test_seed_wrapped_bullet_after_semicolon_stays_one_task(seed):
    first = fold_lower(seed.units[0].tasks[0].text)
    assert first.startswith("chu tri")
    assert "de cuong" in first


def test_seed_implements_both_plans(seed):
    assert len(seed.implements) == 2
    assert seed.implements[0].startswith("Kế hoạch số 67/KH-UBND ngày 27/02/2026")
    assert seed.implements[1].startswith("Kế hoạch số 58/KH-UBND ngày 24/02/2026")


def test_seed_title_is_restored(seed):
    assert seed.title.startswith("Tuyên truyền")
    assert "57-NQ/TW" in seed.title


def test_seed_warns_that_diacritics_were_restored(seed):
    assert any("khôi phục dấu" in warning for warning in seed.warnings)


def test_seed_as_dict_has_exactly_the_contract_shape(seed):
    data = seed.as_dict()
    assert set(data) == PLAN_KEYS
    assert data["date"] == "2026-03-04"
    assert json.loads(json.dumps(data, ensure_ascii=False)) == data
    for unit in data["units"]:
        assert set(unit) == {"name", "tasks"}
        for task in unit["tasks"]:
            assert set(task) == {"text", "role", "recurrence", "due"}
    for section in data["sections"]:
        assert set(section) == {"heading", "items"}


def test_seed_output_is_nfc(seed):
    data = seed.as_dict()
    for text in [data["restored_text"], data["title"], *data["implements"]]:
        assert unicodedata.normalize("NFC", text) == text


# ------------------------------------------------------------- the fixture plans


def expectations() -> list[dict]:
    return [
        {
            "name": path.name.removesuffix(".expected.json"),
            **json.loads(path.read_text("utf-8")),
        }
        for path in sorted(FIXTURES.glob("*.expected.json"))
    ]


def fixture_cases():
    for expected in expectations():
        for fmt in expected["formats"]:
            if fmt != "scan.pdf":  # OCR runs in test_extract.py, marked slow
                yield pytest.param(expected, fmt, id=f"{expected['name']}.{fmt}")


def parse_fixture(name: str, fmt: str) -> ParsedPlan:
    path = FIXTURES / f"{name}.{fmt}"
    if fmt.endswith(".txt") or fmt == "txt":
        return parse_plan(path.read_text(encoding="utf-8"))
    return parse_plan(extract_text(data=path.read_bytes(), filename=path.name).text)


@pytest.mark.parametrize(("expected", "fmt"), list(fixture_cases()))
def test_fixture_plan_parses_in_every_format(expected, fmt):
    plan = parse_fixture(expected["name"], fmt)
    assert plan.number == expected["number"]
    assert plan.date.isoformat() == expected["date"]
    assert plan.signer == expected["signer"]
    assert plan.signer_position == expected["signer_position"]
    assert plan.doc_type == expected["doc_type"]
    assert [section.heading for section in plan.sections] == expected["sections"]
    assert [unit.name for unit in plan.units] == [
        unit["name"] for unit in expected["units"]
    ]
    got = [
        [
            {
                "role": t.role,
                "recurrence": t.recurrence,
                "due": t.due and t.due.isoformat(),
            }
            for t in unit.tasks
        ]
        for unit in plan.units
    ]
    assert got == [unit["tasks"] for unit in expected["units"]]
    assert len(plan.implements) == len(expected["implements_start"])


@pytest.mark.parametrize(
    ("expected", "fmt"),
    [c for c in fixture_cases() if c.values[1] in ("txt", "docx", "pdf")],
)
def test_fixture_plan_with_diacritics_keeps_its_exact_text(expected, fmt):
    plan = parse_fixture(expected["name"], fmt)
    assert plan.issuer == expected["issuer"]
    assert plan.place == expected["place"]
    assert plan.title == expected["title"]
    for ref, start in zip(plan.implements, expected["implements_start"], strict=True):
        assert ref.startswith(start)
    assert not any("khôi phục dấu" in warning for warning in plan.warnings)


def unaccented_cases():
    return [case for case in fixture_cases() if case.values[1] == "nodiac.txt"]


@pytest.mark.parametrize(("expected", "fmt"), list(unaccented_cases()))
def test_unaccented_fixture_is_restored_without_changing_its_letters(expected, fmt):
    plan = parse_fixture(expected["name"], fmt)
    assert fold_lower(plan.issuer) == fold_lower(expected["issuer"])
    assert fold_lower(plan.place) == fold_lower(expected["place"])
    assert fold_lower(plan.title) == fold_lower(expected["title"])
    assert any("khôi phục dấu" in warning for warning in plan.warnings)


# ------------------------------------------------------------ focused behaviours

PLAN_HEAD = """ỦY BAN NHÂN DÂN
PHƯỜNG THỬ NGHIỆM
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: 01/KH-UBND
Thử Nghiệm, ngày 02 tháng 01 năm 2026

KẾ HOẠCH
Thử nghiệm phân tích kế hoạch

I. MỤC ĐÍCH, YÊU CẦU
- Kiểm tra bộ phân tích.

II. TỔ CHỨC THỰC HIỆN
1. Phòng Văn hóa - Xã hội
"""


def tasks_of(*lines: str):
    plan = parse_plan(PLAN_HEAD + "\n".join(f"- {line}" for line in lines) + "\n")
    return plan.units[0].tasks


@pytest.mark.parametrize(
    ("sentence", "due"),
    [
        ("Báo cáo kết quả trước ngày 15 tháng 12 năm 2026.", "2026-12-15"),
        ("Xây dựng tài liệu, hoàn thành trong tháng 6/2026.", "2026-06-30"),
        ("Tổng hợp số liệu trước 30/6/2026.", "2026-06-30"),
        ("Rà soát dữ liệu, chậm nhất ngày 20/11/2026.", "2026-11-20"),
        ("Đánh giá sơ kết, hoàn thành trong quý II/2026.", "2026-06-30"),
        ("Tuyên truyền Nghị quyết số 57-NQ/TW ngày 22/12/2024.", None),
    ],
)
def test_task_due_date_is_read_from_deadline_phrases(sentence, due):
    [task] = tasks_of(sentence)
    assert (task.due.isoformat() if task.due else None) == due


@pytest.mark.parametrize(
    ("sentence", "recurrence"),
    [
        ("Phát thanh chuyên mục định kỳ hằng tuần.", "hang_tuan"),
        ("Báo cáo kết quả hàng tháng.", "hang_thang"),
        ("Sơ kết hằng quý.", "hang_quy"),
        ("Thường xuyên cập nhật tin, bài.", "thuong_xuyen"),
        ("Kiểm tra định kỳ 6 tháng.", "dinh_ky"),
        ("Tham mưu bố trí kinh phí thường xuyên.", None),
        ("Bố trí từ nguồn chi thường xuyên của đơn vị.", None),
    ],
)
def test_task_recurrence_ignores_budget_kind_thuong_xuyen(sentence, recurrence):
    [task] = tasks_of(sentence)
    assert task.recurrence == recurrence


@pytest.mark.parametrize(
    ("sentence", "role"),
    [
        ("Chủ trì, phối hợp với các đơn vị tổ chức hội nghị.", "chu_tri"),
        ("Căn cứ dự toán, chủ trì tham mưu bố trí kinh phí.", "chu_tri"),
        ("Phối hợp tuyên truyền trên mạng xã hội.", "phoi_hop"),
        ("Trong phạm vi nhiệm vụ, chủ động phối hợp tuyên truyền.", "phoi_hop"),
        ("Thực hiện tuyên truyền trực quan.", None),
        ("Bảo đảm nội dung phù hợp với điều kiện thực tế.", None),
    ],
)
def test_task_role_from_chu_tri_and_phoi_hop(sentence, role):
    [task] = tasks_of(sentence)
    assert task.role == role


def test_unit_heading_wrapped_onto_next_line_is_one_name():
    plan = parse_plan(
        PLAN_HEAD
        + "- Chủ trì triển khai.\n2. Đề nghị Mặt trận Tổ quốc Việt Nam, các tổ chức chính trị - xã hội\n"
        "phường\nPhối hợp tuyên truyền đến đoàn viên, hội viên.\n"
    )
    assert (
        plan.units[1].name
        == "Mặt trận Tổ quốc Việt Nam, các tổ chức chính trị - xã hội phường"
    )
    assert len(plan.units[1].tasks) == 1


def test_plan_without_signature_warns_instead_of_failing():
    plan = parse_plan(PLAN_HEAD + "- Chủ trì triển khai.\n")
    assert plan.signer is None
    assert "Không tìm thấy người ký văn bản." in plan.warnings


# ------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\t\n",
        "Xin chào",
        "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor.",
        "Công thức nấu phở bò: xương bò, bánh phở, hành, gừng, quế, hồi.\n" * 20,
        "\x00\x01\x02 binary \xff\xfe garbage " * 50,
        "KẾ HOẠCH\n",
    ],
)
def test_text_that_is_not_a_plan_raises_with_a_vietnamese_message(text):
    with pytest.raises(PlanParseError) as info:
        parse_plan(text)
    assert is_vietnamese_message(info.value.message)


SEED_LINES = seed_text().split("\n")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=3000))
def test_arbitrary_text_either_parses_or_raises_plan_parse_error(text):
    try:
        result = parse_plan(text)
    except PlanParseError as exc:
        assert is_vietnamese_message(exc.message)
    else:
        assert isinstance(result, ParsedPlan)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.one_of(
        st.permutations(SEED_LINES).map("\n".join),
        st.integers(0, len(seed_text())).map(lambda n: seed_text()[:n]),
        st.lists(st.sampled_from(SEED_LINES), max_size=120).map("\n".join),
        st.tuples(st.sampled_from(SEED_LINES), st.text(max_size=200)).map(
            lambda pair: (
                seed_text().replace(pair[0], pair[1], 1) if pair[0] else pair[1]
            )
        ),
    )
)
def test_mangled_seed_either_parses_or_raises_plan_parse_error(text):
    try:
        result = parse_plan(text)
    except PlanParseError as exc:
        assert is_vietnamese_message(exc.message)
    else:
        assert isinstance(result, ParsedPlan)
        assert set(result.as_dict()) == PLAN_KEYS


def test_ward_name_is_written_the_same_everywhere_in_the_restored_seed(seed):
    plan = seed
    assert "Hải Đường" not in plan.restored_text
    assert all("Hải Dương" in doc for doc in plan.implements if "phường Hải" in doc)
