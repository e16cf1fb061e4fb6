from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "loa.ops"
    label = "ops"
    verbose_name = "Vận hành"
