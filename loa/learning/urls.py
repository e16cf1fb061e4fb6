from django.urls import path

from . import views
from .views_documents import documents_urlpatterns
from .views_teams import teams_urlpatterns

app_name = "learning"

urlpatterns = [
    path("hoc/", views.home, name="home"),
    path("hoc/dang-ky/", views.register, name="register"),
    path("hoc/tiep-tuc/", views.resume, name="resume"),
    # Links handed out before the key moved into a form: still honoured (then redirected
    # to an address without the key); loa.core.logs redacts the key from the logs.
    path("hoc/tiep-tuc/<str:key>/", views.resume_link, name="resume_link"),
    path("hoc/khoa/<slug:slug>/", views.course_detail, name="course"),
    path("hoc/khoa/<slug:slug>/kiem-tra/", views.quiz_start, name="quiz_start"),
    path("hoc/kiem-tra/<int:pk>/", views.quiz, name="quiz"),
    path("hoc/bai/<slug:slug>/", views.lesson_detail, name="lesson_by_slug"),
    path("hoc/cua-toi/", views.my_data, name="my_data"),
    path("hoc/cua-toi/tai-ve/", views.my_data_export, name="my_data_export"),
    path("hoc/cua-toi/xoa/", views.my_data_delete, name="my_data_delete"),
    path("hoc/diem-danh/", views.check_in, name="check_in"),
    path("hoc/lop/", views.class_upcoming, name="class_upcoming"),
    path("hoc/quan-ly/", views.figures, name="figures"),
    path("hoc/quan-ly/so-lieu.xlsx", views.figures_xlsx, name="figures_xlsx"),
    path("hoc/quan-ly/lop/", views.class_list, name="class_list"),
    path("hoc/quan-ly/lop/<int:pk>/", views.class_detail, name="class_detail"),
]

urlpatterns += documents_urlpatterns + teams_urlpatterns
