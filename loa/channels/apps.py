from django.apps import AppConfig


class ChannelsConfig(AppConfig):
    name = "loa.channels"
    label = "loa_channels"
    verbose_name = "Kênh truyền thông"
