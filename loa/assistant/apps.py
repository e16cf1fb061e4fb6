from django.apps import AppConfig


class AssistantConfig(AppConfig):
    name = "loa.assistant"
    label = "assistant"
    verbose_name = "Trợ lý hỏi - đáp"

    def ready(self):
        from . import signal_handlers  # noqa: F401
