from django.urls import path

from . import views

app_name = "library"

urlpatterns = [
    path("thu-vien/", views.item_list, name="item_list"),
    path("thu-vien/<int:pk>/", views.item_detail, name="item_detail"),
    path("thu-vien/<int:pk>/sao-chep/", views.item_copy, name="item_copy"),
]
