from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "loa.core"
    label = "core"
    verbose_name = "Phường, đơn vị và người dùng"

    def ready(self):
        from django.core.checks import register

        from . import signal_handlers  # noqa: F401
        from .checks import ward_address_check

        register(ward_address_check)
