from django.apps import AppConfig


class ChannelsConfig(AppConfig):
    name = "loa.channels"
    label = "loa_channels"
    verbose_name = "Kênh truyền thông"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import signal_handlers  # noqa: F401
