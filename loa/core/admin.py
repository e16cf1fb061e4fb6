from django.contrib import admin

from .models import (
    AuditLog,
    Membership,
    Notification,
    ResidentialGroup,
    Unit,
    Ward,
    WardFormerName,
)


class WardFormerNameInline(admin.TabularInline):
    model = WardFormerName
    extra = 0


class ResidentialGroupInline(admin.TabularInline):
    model = ResidentialGroup
    extra = 0


@admin.register(Ward)
class WardAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "province", "is_active"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["formed_from"]
    inlines = [WardFormerNameInline, ResidentialGroupInline]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "ward", "is_active"]
    list_filter = ["ward", "kind"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "ward", "unit", "position"]
    list_filter = ["ward"]


@admin.register(AuditLog)
class AuditLogAdmin(admin.ModelAdmin):
    list_display = ["created_at", "actor", "action", "object_repr", "ward"]
    list_filter = ["action", "ward"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


admin.site.register(Notification)
admin.site.site_header = "Loa — quản trị hệ thống"
