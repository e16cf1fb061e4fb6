from django.apps import AppConfig


class LibraryConfig(AppConfig):
    name = "loa.library"
    label = "library"
    verbose_name = "Thư viện dùng chung của thành phố"
