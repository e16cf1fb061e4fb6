"""Staff edit courses, lessons, the question bank and the skill-area list here."""

from django.contrib import admin

from .models import (
    Certificate,
    Choice,
    Course,
    Lesson,
    Question,
    SkillArea,
    Track,
    TrackCourse,
)


class LessonInline(admin.StackedInline):
    model = Lesson
    extra = 0
    fields = [
        "order",
        "slug",
        "title",
        "body",
        "video_url",
        "national_url",
        "skill_areas",
    ]


class ChoiceInline(admin.TabularInline):
    model = Choice
    extra = 1


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "pass_mark", "questions_per_quiz", "is_published"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [LessonInline]


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["text", "course", "kind"]
    list_filter = ["course", "kind"]
    inlines = [ChoiceInline]


class TrackCourseInline(admin.TabularInline):
    model = TrackCourse
    extra = 0


@admin.register(Track)
class TrackAdmin(admin.ModelAdmin):
    inlines = [TrackCourseInline]


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    list_display = ["code", "course", "issued_at", "is_revoked"]
    list_filter = ["course", "is_revoked"]
    search_fields = ["code"]
    fields = ["code", "course", "issued_at", "is_revoked"]
    readonly_fields = ["code", "course", "issued_at"]


admin.site.register(SkillArea)
