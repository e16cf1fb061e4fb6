"""Django admin of the slogan library (imported by admin.py)."""

from django.contrib import admin

from .slogans import Slogan


@admin.register(Slogan)
class SloganAdmin(admin.ModelAdmin):
    list_display = ["text", "is_approved", "created_at"]
    list_filter = ["is_approved"]
    search_fields = ["text"]
