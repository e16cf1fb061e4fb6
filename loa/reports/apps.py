from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "loa.reports"
    label = "reports"
    verbose_name = "Báo cáo, chỉ tiêu và kinh phí"
