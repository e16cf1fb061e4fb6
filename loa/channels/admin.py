from django.contrib import admin
from django.db import transaction

from .models import RadioSegment, RadioSlot, Slogan
from .services.radio import segment_approve


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
        # One service call per segment, so each approval is audited; all or none.
        with transaction.atomic():
            segments = list(queryset)
            for segment in segments:
                segment_approve(segment=segment, by=request.user)
        self.message_user(request, f"Đã duyệt {len(segments)} chuyên mục.")


# ------------------------------------------------------------------ slogan library


@admin.register(Slogan)
class SloganAdmin(admin.ModelAdmin):
    list_display = ["text", "is_approved", "created_at"]
    list_filter = ["is_approved"]
    search_fields = ["text"]
