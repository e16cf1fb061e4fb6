from django.urls import path

from . import calendar_views, led_views, views

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
    path("kenh/lich/", calendar_views.content_calendar_page, name="calendar"),
]

from . import radio_views  # noqa: E402

urlpatterns += [
    path("phat-thanh/", radio_views.radio_archive, name="radio_archive"),
    path("phat-thanh/rss/", radio_views.radio_feed, name="radio_feed"),
    path(
        "phat-thanh/<int:pk>/segment.wav", radio_views.radio_audio, name="radio_audio"
    ),
]

from . import led_screen  # noqa: E402

urlpatterns += [
    path("led/<slug:screen>/", led_screen.led_screen, name="led_screen"),
    path(
        "led/<slug:screen>/playlist.json",
        led_screen.led_screen_json,
        name="led_screen_json",
    ),
]

from . import airing_views  # noqa: E402

urlpatterns += [
    path("kenh/phat-thanh/nhat-ky/", airing_views.airing_log, name="airing_log"),
]
