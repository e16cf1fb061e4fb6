from django.urls import path

from . import views

app_name = "plans"

urlpatterns = [
    path("ke-hoach/", views.plan_list, name="plan_list"),
    path("ke-hoach/nhap/", views.plan_upload, name="plan_upload"),
    path("ke-hoach/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("ke-hoach/<int:pk>/ra-soat/", views.plan_review, name="plan_review"),
    path("ke-hoach/<int:pk>/huy/", views.plan_discard, name="plan_discard"),
    path("ke-hoach/<int:pk>/tep-goc/", views.plan_source, name="plan_source"),
    path("nhiem-vu/", views.task_list, name="task_list"),
    path("nhiem-vu/<int:pk>/", views.task_detail, name="task_detail"),
    path("nhiem-vu/<int:pk>/hoan-thanh/", views.task_complete, name="task_complete"),
    path("nhiem-vu/<int:pk>/don-doc/", views.task_urge, name="task_urge"),
    path(
        "ke-hoach/<int:plan_pk>/don-vi/<int:unit_pk>/don-doc/",
        views.unit_urge,
        name="unit_urge",
    ),
    path(
        "nhiem-vu/<int:task_pk>/hoat-dong/them/",
        views.activity_create,
        name="activity_create",
    ),
    path("hoat-dong/<int:pk>/xoa/", views.activity_delete, name="activity_delete"),
    path(
        "hoat-dong/<int:pk>/minh-chung/",
        views.activity_evidence,
        name="activity_evidence",
    ),
]
