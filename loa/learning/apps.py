from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "loa.learning"
    label = "learning"
    verbose_name = "Bình dân học vụ số và Tổ công nghệ số cộng đồng"
