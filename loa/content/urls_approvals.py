from django.urls import path

from . import approval_views

app_name = "content_approvals"

urlpatterns = [
    path("duyet/<str:token>/", approval_views.decide, name="decide"),
]
