from django.urls import path

from .views import (
    airing,
    calendar,
    led,
    outbox,
    printing,
    radio,
    radio_desk,
    slogans,
)

app_name = "loa_channels"

urlpatterns = [
    path("kenh/chon/<int:page_id>/", outbox.channel_choose, name="choose"),
    path("kenh/giao/", outbox.delivery_list, name="delivery_list"),
    path("kenh/giao/<int:pk>/", outbox.delivery_detail, name="delivery_detail"),
    path("kenh/led/", led.led_playlist_page, name="led_playlist"),
    path("kenh/led/playlist.txt", led.led_playlist_txt, name="led_playlist_txt"),
    path("kenh/led/playlist.json", led.led_playlist_json, name="led_playlist_json"),
    path("kenh/led/man-hinh/", led.led_screen_list, name="led_screen_list"),
    path("kenh/led/man-hinh/them/", led.led_screen_add, name="led_screen_add"),
    path(
        "kenh/led/man-hinh/<int:pk>/sua/", led.led_screen_edit, name="led_screen_edit"
    ),
    path("kenh/an-pham/", printing.print_desk, name="print_desk"),
    path("kenh/an-pham/tep.pdf", printing.print_file, name="print_file"),
    path("kenh/khau-hieu/", slogans.slogan_list, name="slogan_list"),
    path(
        "kenh/khau-hieu/<int:pk>/duyet/", slogans.slogan_approve, name="slogan_approve"
    ),
    path("kenh/lich/", calendar.content_calendar_page, name="calendar"),
    path("phat-thanh/", radio.radio_archive, name="radio_archive"),
    path("phat-thanh/rss/", radio.radio_feed, name="radio_feed"),
    path("phat-thanh/<int:pk>/segment.wav", radio.radio_audio, name="radio_audio"),
    path(
        "phat-thanh/<int:pk>/segment.mp3", radio.radio_audio_mp3, name="radio_audio_mp3"
    ),
    path("led/<slug:screen>/", led.led_screen, name="led_screen"),
    path(
        "led/<slug:screen>/playlist.json", led.led_screen_json, name="led_screen_json"
    ),
    path("kenh/phat-thanh/nhat-ky/", airing.airing_log, name="airing_log"),
    # The staff desk of the weekly radio segment ("Phát thanh").
    path("kenh/phat-thanh/", radio_desk.radio_desk, name="radio_desk"),
    path("kenh/phat-thanh/soan/", radio_desk.radio_build, name="radio_build"),
    path("kenh/phat-thanh/luot-phat/", radio_desk.radio_airings, name="radio_airings"),
    path("kenh/phat-thanh/<int:pk>/", radio_desk.radio_segment, name="radio_segment"),
    path("kenh/phat-thanh/<int:pk>/sua/", radio_desk.radio_edit, name="radio_edit"),
    path(
        "kenh/phat-thanh/<int:pk>/duyet/",
        radio_desk.radio_approve,
        name="radio_approve",
    ),
    path(
        "kenh/phat-thanh/<int:pk>/tep/<str:kind>/",
        radio_desk.radio_file,
        name="radio_file",
    ),
]
