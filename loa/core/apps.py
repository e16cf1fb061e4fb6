from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "loa.core"
    label = "core"
    verbose_name = "Phường, đơn vị và người dùng"

    def ready(self):
        from . import signal_handlers  # noqa: F401
