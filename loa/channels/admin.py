from django.contrib import admin
from django.utils import timezone

from .radio_models import RadioSegment, RadioSlot


@admin.register(RadioSlot)
class RadioSlotAdmin(admin.ModelAdmin):
    list_display = ("ward", "weekday", "time", "cluster")
    list_filter = ("ward", "weekday")
    search_fields = ("cluster",)


@admin.register(RadioSegment)
class RadioSegmentAdmin(admin.ModelAdmin):
    list_display = ("week", "ward", "seconds", "built_at", "approved_by", "approved_at")
    list_filter = ("ward",)
    readonly_fields = (
        "audio",
        "script_txt",
        "script_docx",
        "manifest",
        "seconds",
        "words",
        "size",
        "built_at",
        "approved_by",
        "approved_at",
    )
    actions = ["approve"]

    @admin.action(description="Duyệt chuyên mục đã chọn")
    def approve(self, request, queryset):
        count = queryset.update(approved_by=request.user, approved_at=timezone.now())
        self.message_user(request, f"Đã duyệt {count} chuyên mục.")


from . import slogans_admin  # noqa: E402, F401
