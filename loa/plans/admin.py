from django.contrib import admin

from .models import Activity, Plan, Task


class TaskInline(admin.TabularInline):
    model = Task
    extra = 0
    fields = ["unit", "text", "role", "recurrence", "due_date", "completed_at"]


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["number", "issued_date", "ward", "status"]
    list_filter = ["ward", "status"]
    inlines = [TaskInline]
    # Files come in only through the guarded upload pages (type, size, parsing limits).
    readonly_fields = ["source_file"]


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ["date", "kind", "title", "unit", "ward"]
    list_filter = ["ward", "kind"]
    readonly_fields = ["evidence_file"]
