import json
import shutil
import unicodedata
from pathlib import Path

import pytest

from loa.learning.models import (
    Choice,
    Course,
    Lesson,
    Question,
    SkillArea,
    TargetGroup,
    Track,
)
from loa.learning.starter import DATA_DIR, learning_starter_load
from loa.vn import syllables
from loa.vn.syllable import tone_new_style

COURSE_SLUGS = {
    "ky-nang-so-co-ban": "Kỹ năng số cơ bản",
    "dinh-danh-dien-tu-vneid": "Định danh điện tử VNeID",
    "dich-vu-cong-truc-tuyen": "Dịch vụ công trực tuyến",
    "thanh-toan-so-an-toan": "Thanh toán số an toàn",
    "phong-chong-lua-dao": "Phòng chống lừa đảo trên không gian mạng",
    "tri-tue-nhan-tao": "Trí tuệ nhân tạo trong đời sống",
}
# The assistant links to these lesson slugs.
ASSISTANT_LESSON_SLUGS = [
    "ky-nang-so-co-ban",
    "vneid-muc-1",
    "vneid-muc-2",
    "dich-vu-cong",
    "thanh-toan-so",
    "lua-dao",
    "tri-tue-nhan-tao",
]


@pytest.fixture
def loaded(db):
    return learning_starter_load()


def _all_texts():
    yield from SkillArea.objects.values_list("name", flat=True)
    for course in Course.objects.all():
        yield from (course.title, course.summary)
    for lesson in Lesson.objects.all():
        yield from (lesson.title, lesson.body)
    for question in Question.objects.all():
        yield from (question.text, question.explanation)
    yield from Choice.objects.values_list("text", flat=True)
    yield from Track.objects.values_list("title", flat=True)


def _copy_data(tmp_path: Path) -> Path:
    target = tmp_path / "learning"
    shutil.copytree(DATA_DIR, target)
    return target


def test_starter_loads_the_six_courses_with_their_titles(loaded):
    assert dict(Course.objects.values_list("slug", "title")) == COURSE_SLUGS
    assert loaded["courses"] == 6
    assert loaded["created"]["courses"] == 6


def test_every_course_has_at_least_three_lessons_and_twelve_questions(loaded):
    for course in Course.objects.all():
        assert course.lessons.count() >= 3, course.slug
        assert course.questions.count() >= 12, course.slug
        assert course.questions.count() >= course.questions_per_quiz
        assert course.pass_mark == 70
        assert course.national_url == "https://binhdanhocvuso.gov.vn"


def test_every_question_has_a_correct_choice_and_single_choice_has_exactly_one(loaded):
    for question in Question.objects.prefetch_related("choices"):
        choices = list(question.choices.all())
        n_correct = sum(choice.is_correct for choice in choices)
        assert 3 <= len(choices) <= 4, question.text
        assert n_correct >= 1, question.text
        if question.kind == Question.Kind.SINGLE:
            assert n_correct == 1, question.text
        assert (
            question.lesson is not None
            and question.lesson.course_id == question.course_id
        )


def test_every_course_has_at_least_three_multiple_choice_questions(loaded):
    for course in Course.objects.all():
        multiple = course.questions.filter(kind=Question.Kind.MULTIPLE)
        assert multiple.count() >= 3, course.slug
        for question in multiple:
            assert question.choices.filter(is_correct=True).count() >= 2, question.text


def test_second_load_creates_nothing_and_keeps_choice_ids(loaded):
    counts = {
        model: model.objects.count()
        for model in (SkillArea, Course, Lesson, Question, Choice, Track)
    }
    choice_ids = set(Choice.objects.values_list("pk", flat=True))

    again = learning_starter_load()

    assert again["created"] == dict.fromkeys(again["created"], 0)
    assert {model: model.objects.count() for model in counts} == counts
    assert set(Choice.objects.values_list("pk", flat=True)) == choice_ids
    assert {k: v for k, v in again.items() if k != "created"} == {
        k: v for k, v in loaded.items() if k != "created"
    }


def test_reload_keeps_staff_questions_and_restores_managed_choices(loaded):
    course = Course.objects.get(slug="phong-chong-lua-dao")
    staff_question = Question.objects.create(
        course=course, text="Câu hỏi do cán bộ phường thêm?"
    )
    Choice.objects.create(question=staff_question, text="Đúng", is_correct=True)
    managed = course.questions.first()
    managed.choices.update(is_correct=False)

    learning_starter_load()

    assert Question.objects.filter(pk=staff_question.pk).exists()
    assert staff_question.choices.count() == 1
    assert managed.choices.filter(is_correct=True).exists()


def test_all_text_is_nfc_with_new_style_tone_marks(loaded):
    for text in _all_texts():
        assert unicodedata.is_normalized("NFC", text), text[:80]
        for syllable in syllables(text):
            assert tone_new_style(syllable) == syllable, (syllable, text[:80])
    for path in DATA_DIR.rglob("*.json"):
        raw = path.read_text(encoding="utf-8")
        assert unicodedata.is_normalized("NFC", raw), path.name


def test_every_lesson_has_a_skill_area(loaded):
    for lesson in Lesson.objects.all():
        assert lesson.skill_areas.exists(), lesson.slug


def test_skill_areas_file_says_whether_the_list_is_provisional(loaded):
    doc = json.loads((DATA_DIR / "skill_areas.json").read_text(encoding="utf-8"))
    assert isinstance(doc["provisional"], bool)
    assert doc["source"].startswith("https://")
    assert SkillArea.objects.count() == len(doc["areas"]) == loaded["skill_areas"]


def test_lesson_bodies_are_short_structured_markdown_with_sources(loaded):
    for lesson in Lesson.objects.all():
        body = lesson.body
        assert 250 <= len(body.split()) <= 600, lesson.slug
        assert "\n## " in "\n" + body, lesson.slug
        assert "\n1. " in body, lesson.slug
        assert "> **Ghi nhớ" in body, lesson.slug
        assert body.strip().splitlines()[-1].startswith("Nguồn:"), lesson.slug
        assert lesson.national_url == "https://binhdanhocvuso.gov.vn"


def test_lesson_slugs_the_assistant_links_to_exist(loaded):
    existing = set(Lesson.objects.values_list("slug", flat=True))
    assert set(ASSISTANT_LESSON_SLUGS) <= existing


def test_one_track_per_target_group_with_courses_for_that_group(loaded):
    assert set(Track.objects.values_list("target_group", flat=True)) == set(
        TargetGroup.values
    )
    for track in Track.objects.all():
        courses = list(track.courses.order_by("trackcourse__order"))
        assert courses, track.target_group
        assert courses[0].slug == "ky-nang-so-co-ban"
        for course in courses:
            assert track.target_group in course.target_groups, (
                track.title,
                course.slug,
            )


@pytest.mark.django_db
def test_single_choice_question_with_two_correct_answers_is_rejected(tmp_path):
    data_dir = _copy_data(tmp_path)
    path = data_dir / "courses" / "phong-chong-lua-dao.json"
    doc = json.loads(path.read_text(encoding="utf-8"))
    single = next(q for q in doc["questions"] if q["kind"] == "single")
    for choice in single["choices"]:
        choice["correct"] = True
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")

    with pytest.raises(ValueError, match="phải có đúng 1 phương án đúng"):
        learning_starter_load(data_dir=data_dir)
    assert not Course.objects.exists()


@pytest.mark.django_db
def test_unknown_skill_area_and_broken_json_are_rejected(tmp_path):
    data_dir = _copy_data(tmp_path)
    path = data_dir / "courses" / "tri-tue-nhan-tao.json"
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["lessons"][0]["skill_areas"] = ["99"]
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(ValueError, match="nhóm kỹ năng “99” không có"):
        learning_starter_load(data_dir=data_dir)

    path.write_text("{ không phải JSON", encoding="utf-8")
    with pytest.raises(ValueError, match="không phải JSON hợp lệ"):
        learning_starter_load(data_dir=data_dir)


@pytest.mark.django_db
def test_track_naming_an_unknown_course_is_rejected(tmp_path):
    data_dir = _copy_data(tmp_path)
    path = data_dir / "tracks.json"
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["tracks"][0]["courses"].append("khoa-hoc-khong-co")
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")

    with pytest.raises(ValueError, match="không có khóa học mã “khoa-hoc-khong-co”"):
        learning_starter_load(data_dir=data_dir)
