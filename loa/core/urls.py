from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("thong-bao/", views.notification_list, name="notification_list"),
    path(
        "thong-bao/<int:pk>/da-doc/", views.notification_read, name="notification_read"
    ),
    path("nhat-ky/", views.audit_list, name="audit_list"),
    path("cong-thong-tin/", views.ward_portal, name="ward_portal"),
]
