from django.apps import AppConfig


class ContentConfig(AppConfig):
    name = "loa.content"
    label = "content"
    verbose_name = "Cổng thông tin"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import signal_handlers  # noqa: F401
