from django.urls import path

from .views import budget, city, dashboard, drafts, indicators

app_name = "reports"

urlpatterns = [
    path("bao-cao/", dashboard.dashboard, name="dashboard"),
    path("bao-cao/so-lieu.xlsx", dashboard.dashboard_xlsx, name="dashboard_xlsx"),
    path(
        "bao-cao/chi-tieu/<int:pk>/",
        indicators.indicator_detail,
        name="indicator_detail",
    ),
    path(
        "bao-cao/ke-hoach/<int:plan_pk>/chi-tieu/them/",
        indicators.indicator_edit,
        name="indicator_create",
    ),
    path(
        "bao-cao/ke-hoach/<int:plan_pk>/chi-tieu/<int:pk>/sua/",
        indicators.indicator_edit,
        name="indicator_edit",
    ),
    path("bao-cao/kinh-phi/", budget.budget_view, name="budget"),
    path(
        "bao-cao/kinh-phi/hoat-dong/<int:activity_pk>/chi/",
        budget.expense_create,
        name="expense_create",
    ),
    path("bao-cao/ky/", drafts.draft_list, name="draft_list"),
    path("bao-cao/ky/<int:pk>/", drafts.draft_detail, name="draft_detail"),
    path("bao-cao/ky/<int:pk>/loi-van/", drafts.draft_update, name="draft_update"),
    path(
        "bao-cao/ky/<int:pk>/don-vi-viet/",
        drafts.narrative_update,
        name="narrative_update",
    ),
    path(
        "bao-cao/ky/<int:pk>/bieu-duong/",
        drafts.commendation_add,
        name="commendation_add",
    ),
    path(
        "bao-cao/ky/<int:pk>/bieu-duong/<int:item>/xoa/",
        drafts.commendation_remove,
        name="commendation_remove",
    ),
    path(
        "bao-cao/ky/<int:pk>/tai-ve.<str:fmt>", drafts.draft_export, name="draft_export"
    ),
    path("bao-cao/ky/<int:pk>/gui/", drafts.draft_submit, name="draft_submit"),
    path("bao-cao/ky/<int:pk>/rut-lai/", drafts.draft_withdraw, name="draft_withdraw"),
    # City staff: the reports the wards have sent.
    path("bao-cao/da-gui/", city.city_report_list, name="city_reports"),
    path("bao-cao/da-gui/<int:pk>/", city.city_report_detail, name="city_report"),
    path(
        "bao-cao/da-gui/<int:pk>/tai-ve.<str:fmt>",
        city.city_report_export,
        name="city_report_export",
    ),
]
