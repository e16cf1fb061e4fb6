from django.urls import path

from .views import approvals

app_name = "content_approvals"

urlpatterns = [
    path("duyet/<str:token>/", approvals.decide, name="decide"),
]
