"""Starter content for Bình dân học vụ số: skill areas, six courses, their quizzes, tracks.

The data lives in `loa/data/learning/` as JSON written by the ward's team. Loading is
idempotent: areas, courses and lessons are matched by code or slug, questions by
(course, text) and tracks by target group, so running it again creates nothing new and
leaves the questions staff added themselves untouched.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction

from loa.vn import nfc

from .models import (
    Choice,
    Course,
    Lesson,
    Question,
    SkillArea,
    TargetGroup,
    Track,
    TrackCourse,
)

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "learning"

_SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_url_validator = URLValidator(schemes=["http", "https"])


@dataclass
class _Plan:
    """Validated content, ready to be written."""

    areas: list[dict[str, Any]] = field(default_factory=list)
    courses: list[dict[str, Any]] = field(default_factory=list)
    tracks: list[dict[str, Any]] = field(default_factory=list)


def learning_starter_load(*, data_dir: Path | None = None) -> dict:
    """Load the starter skill areas, courses, lessons, questions and tracks.

    Every file is validated before anything is written; a malformed file raises
    ValueError with a Vietnamese message naming the file and the item.
    """
    plan = _read_all(data_dir or DATA_DIR)
    return _write(plan)


# --- reading and validation ---------------------------------------------------------


def _read_all(data_dir: Path) -> _Plan:
    plan = _Plan()
    plan.areas = _read_areas(data_dir / "skill_areas.json")
    area_codes = {area["code"] for area in plan.areas}

    course_dir = data_dir / "courses"
    paths = sorted(course_dir.glob("*.json")) if course_dir.is_dir() else []
    if not paths:
        raise ValueError(f"Không tìm thấy tệp khóa học nào trong thư mục {course_dir}.")
    lesson_owner: dict[str, str] = {}
    for path in paths:
        course = _read_course(path, area_codes)
        for lesson in course["lessons"]:
            other = lesson_owner.get(lesson["slug"])
            if other is not None:
                raise ValueError(
                    f"{path.name}: mã bài học “{lesson['slug']}” đã dùng trong khóa "
                    f"“{other}”; mã bài học phải khác nhau trong toàn bộ các khóa."
                )
            lesson_owner[lesson["slug"]] = course["slug"]
        plan.courses.append(course)

    course_slugs = {course["slug"] for course in plan.courses}
    plan.tracks = _read_tracks(data_dir / "tracks.json", course_slugs)
    return plan


def _load_json(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ValueError(f"Không tìm thấy tệp {path}.") from None
    except UnicodeDecodeError:
        raise ValueError(f"{path.name}: tệp phải được lưu với mã UTF-8.") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(
            f"{path.name}: không phải JSON hợp lệ (dòng {exc.lineno}, cột {exc.colno}): {exc.msg}."
        ) from None


def _text(
    data: dict,
    key: str,
    where: str,
    *,
    max_length: int | None = None,
    blank: bool = False,
) -> str:
    if key not in data:
        raise ValueError(f"{where}: thiếu trường “{key}”.")
    value = data[key]
    if not isinstance(value, str):
        raise ValueError(f"{where}: trường “{key}” phải là chuỗi chữ.")
    value = nfc(value).strip()
    if not value and not blank:
        raise ValueError(f"{where}: trường “{key}” không được để trống.")
    if max_length is not None and len(value) > max_length:
        raise ValueError(
            f"{where}: trường “{key}” dài {len(value)} ký tự, tối đa {max_length} ký tự."
        )
    return value


def _slug(data: dict, key: str, where: str) -> str:
    value = _text(data, key, where, max_length=80)
    if not _SLUG_RE.match(value):
        raise ValueError(
            f"{where}: mã “{value}” không hợp lệ; chỉ dùng chữ thường không dấu, số và dấu gạch ngang."
        )
    return value


def _url(data: dict, key: str, where: str) -> str:
    value = _text(data, key, where, blank=True) if key in data else ""
    if value:
        try:
            _url_validator(value)
        except ValidationError:
            raise ValueError(
                f"{where}: “{value}” trong trường “{key}” không phải địa chỉ web hợp lệ."
            ) from None
    return value


def _list(data: dict, key: str, where: str) -> list:
    value = data.get(key)
    if not isinstance(value, list):
        raise ValueError(f"{where}: trường “{key}” phải là một danh sách.")
    return value


def _object(value: Any, where: str) -> dict:
    if not isinstance(value, dict):
        raise ValueError(f"{where}: phải là một đối tượng JSON ({{…}}).")
    return value


def _int(
    data: dict, key: str, where: str, *, low: int, high: int, default: int | None = None
) -> int:
    if key not in data and default is not None:
        return default
    value = data.get(key)
    if (
        isinstance(value, bool)
        or not isinstance(value, int)
        or not low <= value <= high
    ):
        raise ValueError(
            f"{where}: trường “{key}” phải là số nguyên từ {low} đến {high}."
        )
    return value


def _read_areas(path: Path) -> list[dict[str, Any]]:
    doc = _object(_load_json(path), path.name)
    if not isinstance(doc.get("provisional", False), bool):
        raise ValueError(f"{path.name}: trường “provisional” phải là true hoặc false.")
    if (
        "source" in doc
        and doc["source"] is not None
        and not isinstance(doc["source"], str)
    ):
        raise ValueError(f"{path.name}: trường “source” phải là chuỗi chữ.")
    raw = _list(doc, "areas", path.name)
    if not raw:
        raise ValueError(f"{path.name}: danh sách “areas” không được rỗng.")
    areas, seen = [], set()
    for index, item in enumerate(raw, start=1):
        where = f"{path.name}, nhóm kỹ năng thứ {index}"
        item = _object(item, where)
        code = _text(item, "code", where, max_length=20)
        if code in seen:
            raise ValueError(f"{where}: mã nhóm “{code}” bị trùng.")
        seen.add(code)
        areas.append(
            {
                "code": code,
                "name": _text(item, "name", where, max_length=200),
                "order": index,
            }
        )
    return areas


def _read_course(path: Path, area_codes: set[str]) -> dict[str, Any]:
    doc = _object(_load_json(path), path.name)
    where = path.name
    slug = _slug(doc, "slug", where)
    if path.stem != slug:
        raise ValueError(
            f"{where}: tên tệp phải trùng với mã khóa học “{slug}” ({slug}.json)."
        )
    groups = _list(doc, "target_groups", where)
    valid_groups = set(TargetGroup.values)
    for group in groups:
        if group not in valid_groups:
            raise ValueError(
                f"{where}: đối tượng “{group}” không hợp lệ; chỉ dùng {', '.join(sorted(valid_groups))}."
            )
    course = {
        "slug": slug,
        "title": _text(doc, "title", where, max_length=200),
        "summary": _text(doc, "summary", where, blank=True) if "summary" in doc else "",
        "national_url": _url(doc, "national_url", where),
        "target_groups": list(dict.fromkeys(groups)),
        "pass_mark": _int(doc, "pass_mark", where, low=1, high=100, default=70),
        "questions_per_quiz": _int(
            doc, "questions_per_quiz", where, low=1, high=100, default=10
        ),
    }
    if "max_attempts" in doc:
        course["max_attempts"] = _int(doc, "max_attempts", where, low=1, high=100)
    if "order" in doc:
        course["order"] = _int(doc, "order", where, low=0, high=10_000)

    lessons_raw = _list(doc, "lessons", where)
    if not lessons_raw:
        raise ValueError(f"{where}: khóa học phải có ít nhất một bài học.")
    lessons, lesson_slugs = [], set()
    for index, item in enumerate(lessons_raw, start=1):
        lesson_where = f"{where}, bài học thứ {index}"
        item = _object(item, lesson_where)
        lesson_slug = _slug(item, "slug", lesson_where)
        if lesson_slug in lesson_slugs:
            raise ValueError(f"{lesson_where}: mã bài học “{lesson_slug}” bị trùng.")
        lesson_slugs.add(lesson_slug)
        areas = _list(item, "skill_areas", lesson_where)
        for code in areas:
            if code not in area_codes:
                raise ValueError(
                    f"{lesson_where}: nhóm kỹ năng “{code}” không có trong skill_areas.json."
                )
        lessons.append(
            {
                "slug": lesson_slug,
                "title": _text(item, "title", lesson_where, max_length=200),
                "order": index,
                "body": _text(item, "body", lesson_where) + "\n",
                "national_url": _url(item, "national_url", lesson_where),
                "video_url": _url(item, "video_url", lesson_where),
                "skill_areas": list(dict.fromkeys(areas)),
            }
        )

    questions_raw = _list(doc, "questions", where)
    questions, texts = [], set()
    for index, item in enumerate(questions_raw, start=1):
        questions.append(
            _read_question(item, f"{where}, câu hỏi thứ {index}", lesson_slugs, texts)
        )
    if len(questions) < course["questions_per_quiz"]:
        raise ValueError(
            f"{where}: có {len(questions)} câu hỏi, ít hơn số câu mỗi lần làm bài "
            f"({course['questions_per_quiz']})."
        )
    course["lessons"] = lessons
    course["questions"] = questions
    return course


def _read_question(
    item: Any, where: str, lesson_slugs: set[str], texts: set[str]
) -> dict[str, Any]:
    item = _object(item, where)
    text = _text(item, "text", where)
    if text in texts:
        raise ValueError(
            f"{where}: câu hỏi “{text[:60]}” bị trùng trong cùng khóa học."
        )
    texts.add(text)
    lesson = item.get("lesson")
    if lesson is not None:
        lesson = _text(item, "lesson", where)
        if lesson not in lesson_slugs:
            raise ValueError(f"{where}: bài học “{lesson}” không thuộc khóa học này.")
    kind = item.get("kind", Question.Kind.SINGLE)
    if kind not in Question.Kind.values:
        raise ValueError(
            f"{where}: loại câu hỏi “{kind}” không hợp lệ; dùng “single” hoặc “multiple”."
        )
    choices_raw = _list(item, "choices", where)
    if len(choices_raw) < 2:
        raise ValueError(f"{where}: cần ít nhất 2 phương án trả lời.")
    choices, seen = [], set()
    for index, raw in enumerate(choices_raw, start=1):
        choice_where = f"{where}, phương án {index}"
        raw = _object(raw, choice_where)
        choice_text = _text(raw, "text", choice_where, max_length=500)
        if choice_text in seen:
            raise ValueError(
                f"{choice_where}: phương án “{choice_text[:60]}” bị trùng."
            )
        seen.add(choice_text)
        correct = raw.get("correct")
        if not isinstance(correct, bool):
            raise ValueError(
                f"{choice_where}: trường “correct” phải là true hoặc false."
            )
        choices.append({"text": choice_text, "is_correct": correct})
    n_correct = sum(choice["is_correct"] for choice in choices)
    if n_correct == 0:
        raise ValueError(f"{where}: chưa có phương án đúng nào.")
    if kind == Question.Kind.SINGLE and n_correct != 1:
        raise ValueError(
            f"{where}: câu hỏi chọn một đáp án phải có đúng 1 phương án đúng (đang có {n_correct})."
        )
    return {
        "text": text,
        "lesson": lesson,
        "kind": kind,
        "explanation": _text(item, "explanation", where, blank=True)
        if "explanation" in item
        else "",
        "choices": choices,
    }


def _read_tracks(path: Path, course_slugs: set[str]) -> list[dict[str, Any]]:
    doc = _object(_load_json(path), path.name)
    raw = _list(doc, "tracks", path.name)
    tracks, seen = [], set()
    for index, item in enumerate(raw, start=1):
        where = f"{path.name}, lộ trình thứ {index}"
        item = _object(item, where)
        group = item.get("target_group")
        if group not in TargetGroup.values:
            raise ValueError(
                f"{where}: đối tượng “{group}” không hợp lệ; dùng {', '.join(TargetGroup.values)}."
            )
        if group in seen:
            raise ValueError(f"{where}: đã có lộ trình cho đối tượng “{group}”.")
        seen.add(group)
        courses = _list(item, "courses", where)
        for slug in courses:
            if slug not in course_slugs:
                raise ValueError(f"{where}: không có khóa học mã “{slug}”.")
        if len(set(courses)) != len(courses):
            raise ValueError(f"{where}: một khóa học xuất hiện hai lần trong lộ trình.")
        tracks.append(
            {
                "target_group": group,
                "title": _text(item, "title", where, max_length=200),
                "courses": courses,
            }
        )
    return tracks


# --- writing ------------------------------------------------------------------------


@transaction.atomic
def _write(plan: _Plan) -> dict:
    created = dict.fromkeys(
        ("skill_areas", "courses", "lessons", "questions", "tracks"), 0
    )

    areas_by_code = {}
    for area in plan.areas:
        obj, was_created = SkillArea.objects.update_or_create(
            code=area["code"], defaults={"name": area["name"], "order": area["order"]}
        )
        areas_by_code[obj.code] = obj
        created["skill_areas"] += was_created

    courses_by_slug = {}
    n_lessons = n_questions = n_choices = 0
    for order, data in enumerate(plan.courses, start=1):
        defaults = {
            key: data[key]
            for key in (
                "title",
                "summary",
                "national_url",
                "target_groups",
                "pass_mark",
                "questions_per_quiz",
            )
        }
        if "max_attempts" in data:
            defaults["max_attempts"] = data["max_attempts"]
        defaults["order"] = data.get("order", order)
        course, was_created = Course.objects.update_or_create(
            slug=data["slug"], defaults=defaults
        )
        courses_by_slug[course.slug] = course
        created["courses"] += was_created

        lessons_by_slug = {}
        for lesson_data in data["lessons"]:
            lesson, was_created = Lesson.objects.update_or_create(
                slug=lesson_data["slug"],
                defaults={
                    "course": course,
                    "title": lesson_data["title"],
                    "order": lesson_data["order"],
                    "body": lesson_data["body"],
                    "national_url": lesson_data["national_url"],
                    "video_url": lesson_data["video_url"],
                },
            )
            lesson.skill_areas.set(
                [areas_by_code[code] for code in lesson_data["skill_areas"]]
            )
            lessons_by_slug[lesson.slug] = lesson
            created["lessons"] += was_created
            n_lessons += 1

        for question_data in data["questions"]:
            was_created = _question_upsert(course, lessons_by_slug, question_data)
            created["questions"] += was_created
            n_questions += 1
            n_choices += len(question_data["choices"])

    for track_data in plan.tracks:
        track, was_created = Track.objects.update_or_create(
            target_group=track_data["target_group"],
            defaults={"title": track_data["title"]},
        )
        created["tracks"] += was_created
        # Courses staff added to a track themselves stay where they are.
        for order, slug in enumerate(track_data["courses"]):
            TrackCourse.objects.update_or_create(
                track=track, course=courses_by_slug[slug], defaults={"order": order}
            )

    return {
        "skill_areas": len(plan.areas),
        "courses": len(plan.courses),
        "lessons": n_lessons,
        "questions": n_questions,
        "choices": n_choices,
        "tracks": len(plan.tracks),
        "created": created,
    }


def _question_upsert(
    course: Course, lessons_by_slug: dict[str, Lesson], data: dict
) -> bool:
    """Create or update one managed question; return whether it was created."""
    lesson = lessons_by_slug.get(data["lesson"]) if data["lesson"] else None
    question = (
        Question.objects.filter(course=course, text=data["text"]).order_by("pk").first()
    )
    was_created = question is None
    if was_created:
        question = Question.objects.create(
            course=course,
            lesson=lesson,
            text=data["text"],
            kind=data["kind"],
            explanation=data["explanation"],
        )
    else:
        question.lesson = lesson
        question.kind = data["kind"]
        question.explanation = data["explanation"]
        question.save(update_fields=["lesson", "kind", "explanation"])

    wanted = [(choice["text"], choice["is_correct"]) for choice in data["choices"]]
    current = list(question.choices.order_by("pk").values_list("text", "is_correct"))
    # Unchanged choices keep their ids, so answers already given still point at them.
    if current != wanted:
        question.choices.all().delete()
        Choice.objects.bulk_create(
            Choice(question=question, text=text, is_correct=is_correct)
            for text, is_correct in wanted
        )
    return was_created
