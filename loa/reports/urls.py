from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("bao-cao/", views.dashboard, name="dashboard"),
    path("bao-cao/so-lieu.xlsx", views.dashboard_xlsx, name="dashboard_xlsx"),
    path("bao-cao/chi-tieu/<int:pk>/", views.indicator_detail, name="indicator_detail"),
    path(
        "bao-cao/ke-hoach/<int:plan_pk>/chi-tieu/them/",
        views.indicator_edit,
        name="indicator_create",
    ),
    path(
        "bao-cao/ke-hoach/<int:plan_pk>/chi-tieu/<int:pk>/sua/",
        views.indicator_edit,
        name="indicator_edit",
    ),
    path("bao-cao/kinh-phi/", views.budget_view, name="budget"),
    path(
        "bao-cao/kinh-phi/hoat-dong/<int:activity_pk>/chi/",
        views.expense_create,
        name="expense_create",
    ),
    path("bao-cao/ky/", views.draft_list, name="draft_list"),
    path("bao-cao/ky/<int:pk>/", views.draft_detail, name="draft_detail"),
    path("bao-cao/ky/<int:pk>/loi-van/", views.draft_update, name="draft_update"),
    path(
        "bao-cao/ky/<int:pk>/don-vi-viet/",
        views.narrative_update,
        name="narrative_update",
    ),
    path(
        "bao-cao/ky/<int:pk>/bieu-duong/",
        views.commendation_add,
        name="commendation_add",
    ),
    path(
        "bao-cao/ky/<int:pk>/bieu-duong/<int:item>/xoa/",
        views.commendation_remove,
        name="commendation_remove",
    ),
    path(
        "bao-cao/ky/<int:pk>/tai-ve.<str:fmt>", views.draft_export, name="draft_export"
    ),
]
