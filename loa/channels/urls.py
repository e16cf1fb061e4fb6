from django.urls import path

from .views import airing, calendar, led, outbox, radio

app_name = "loa_channels"

urlpatterns = [
    path("kenh/chon/<int:page_id>/", outbox.channel_choose, name="choose"),
    path("kenh/giao/", outbox.delivery_list, name="delivery_list"),
    path("kenh/giao/<int:pk>/", outbox.delivery_detail, name="delivery_detail"),
    path("kenh/led/", led.led_playlist_page, name="led_playlist"),
    path("kenh/led/playlist.txt", led.led_playlist_txt, name="led_playlist_txt"),
    path("kenh/led/playlist.json", led.led_playlist_json, name="led_playlist_json"),
    path("kenh/lich/", calendar.content_calendar_page, name="calendar"),
    path("phat-thanh/", radio.radio_archive, name="radio_archive"),
    path("phat-thanh/rss/", radio.radio_feed, name="radio_feed"),
    path("phat-thanh/<int:pk>/segment.wav", radio.radio_audio, name="radio_audio"),
    path("led/<slug:screen>/", led.led_screen, name="led_screen"),
    path(
        "led/<slug:screen>/playlist.json", led.led_screen_json, name="led_screen_json"
    ),
    path("kenh/phat-thanh/nhat-ky/", airing.airing_log, name="airing_log"),
]
