from django.urls import path

from . import led_views, views

app_name = "loa_channels"

urlpatterns = [
    path("kenh/chon/<int:page_id>/", views.channel_choose, name="choose"),
    path("kenh/giao/", views.delivery_list, name="delivery_list"),
    path("kenh/giao/<int:pk>/", views.delivery_detail, name="delivery_detail"),
    path("kenh/led/", led_views.led_playlist_page, name="led_playlist"),
    path("kenh/led/playlist.txt", led_views.led_playlist_txt, name="led_playlist_txt"),
    path(
        "kenh/led/playlist.json", led_views.led_playlist_json, name="led_playlist_json"
    ),
]
