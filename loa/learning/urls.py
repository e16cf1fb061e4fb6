from django.urls import path

from .views import (
    classes,
    courses,
    documents,
    figures,
    imports,
    learners,
    quizzes,
    teams,
    visits,
)

app_name = "learning"

urlpatterns = [
    path("hoc/", courses.home, name="home"),
    path("hoc/dang-ky/", learners.register, name="register"),
    path("hoc/tiep-tuc/", learners.resume, name="resume"),
    # Links handed out before the key moved into a form: still honoured (then redirected
    # to an address without the key); loa.core.logs redacts the key from the logs.
    path("hoc/tiep-tuc/<str:key>/", learners.resume_link, name="resume_link"),
    path("hoc/khoa/<slug:slug>/", courses.course_detail, name="course"),
    path("hoc/khoa/<slug:slug>/kiem-tra/", quizzes.quiz_start, name="quiz_start"),
    path("hoc/kiem-tra/<int:pk>/", quizzes.quiz, name="quiz"),
    path("hoc/bai/<slug:slug>/", courses.lesson_detail, name="lesson_by_slug"),
    path("hoc/cua-toi/", learners.my_data, name="my_data"),
    path("hoc/cua-toi/tai-ve/", learners.my_data_export, name="my_data_export"),
    path("hoc/cua-toi/xoa/", learners.my_data_delete, name="my_data_delete"),
    path("hoc/diem-danh/", classes.check_in, name="check_in"),
    path("hoc/lop/", classes.class_upcoming, name="class_upcoming"),
    path("hoc/quan-ly/", figures.figures, name="figures"),
    path("hoc/quan-ly/so-lieu.xlsx", figures.figures_xlsx, name="figures_xlsx"),
    path("hoc/quan-ly/lop/", classes.class_list, name="class_list"),
    path("hoc/quan-ly/lop/<int:pk>/", classes.class_detail, name="class_detail"),
    path("xac-minh/", documents.verify_form, name="verify_form"),
    path("xac-minh/<str:code>/", documents.verify, name="verify"),
    path(
        "hoc/chung-nhan/<str:code>/pdf/",
        documents.certificate_download,
        name="certificate_download",
    ),
    path(
        "hoc/bai/<slug:slug>/tai-lieu.pdf",
        documents.handout_download,
        name="handout_download",
    ),
    path("to-cong-nghe/", teams.team_list, name="team_list"),
    path("to-cong-nghe/them/", teams.team_create, name="team_create"),
    path("to-cong-nghe/<int:pk>/", teams.team_detail, name="team_detail"),
    path(
        "to-cong-nghe/<int:pk>/thanh-vien/",
        teams.team_member_add,
        name="team_member_add",
    ),
    path(
        "to-cong-nghe/thanh-vien/<int:pk>/xoa/",
        teams.team_member_remove,
        name="team_member_remove",
    ),
    path(
        "to-cong-nghe/<int:pk>/chi-tieu/",
        teams.team_target_set,
        name="team_target_set",
    ),
    path("to-cong-nghe/ghi-ho-tro/", visits.visit_form, name="visit_form"),
    path("to-cong-nghe/sw.js", visits.visit_service_worker, name="visit_sw"),
    path("hoc/quan-ly/nhap-danh-sach/", imports.import_upload, name="import_upload"),
    path(
        "hoc/quan-ly/nhap-danh-sach/mau-<slug:kind>.xlsx",
        imports.import_template,
        name="import_template",
    ),
]
