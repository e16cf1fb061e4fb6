from django.urls import path

from . import views, webhooks

app_name = "assistant"

urlpatterns = [
    path("tro-ly/", views.chat, name="chat"),
    path("tro-ly/tra-loi/", views.ticket_lookup, name="ticket_lookup"),
    path("huong-dan/", views.guide_list, name="guide_list"),
    path("huong-dan/<int:pk>/", views.guide_detail, name="guide_detail"),
    path("tro-ly/cau-hoi-cho/", views.ticket_list, name="ticket_list"),
    path("tro-ly/cau-hoi-cho/<int:pk>/", views.ticket_answer, name="ticket_answer"),
    path("tro-ly/hoi-dap/", views.faq_list, name="faq_list"),
    path("tro-ly/hoi-dap/them/", views.faq_edit, name="faq_create"),
    path("tro-ly/hoi-dap/<int:pk>/", views.faq_edit, name="faq_edit"),
    path("tro-ly/hoi-dap/<int:pk>/xoa/", views.faq_remove, name="faq_remove"),
    path("tro-ly/tai-lieu/", views.document_list, name="document_list"),
    path("tro-ly/tai-lieu/them/", views.document_edit, name="document_create"),
    path("tro-ly/tai-lieu/<int:pk>/", views.document_edit, name="document_edit"),
    path(
        "tro-ly/tai-lieu/<int:pk>/xoa/", views.document_remove, name="document_remove"
    ),
    path("tro-ly/thong-ke/", views.usage, name="usage"),
    path("tro-ly/can-ho-tro/", views.volunteer_requests, name="volunteer_requests"),
    path("webhooks/zalo/", webhooks.zalo_webhook, name="zalo_webhook"),
    path("webhooks/messenger/", webhooks.messenger_webhook, name="messenger_webhook"),
]
