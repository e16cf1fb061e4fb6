import re

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from loa.api import api
from loa.content.views import portal as content_views
from loa.core import media, security
from loa.core import views as core_views
from loa.ops import health

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    # The portal's home page for visitors, the plan list for staff (loa.content.views).
    path("", content_views.home, name="home"),
    path("quan-tri/", core_views.home, name="staff_home"),
    path("dang-nhap/", auth_views.LoginView.as_view(), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    # Two-factor (TOTP): the code after the password, and the enrolment page.
    path(
        "dang-nhap/ma-xac-thuc/", security.two_factor_verify, name="two_factor_verify"
    ),
    path(
        "tai-khoan/xac-thuc-hai-buoc/",
        security.two_factor_setup,
        name="two_factor_setup",
    ),
    path("", include("loa.core.urls")),
    path("", include("loa.plans.urls")),
    path("", include("loa.assistant.urls")),
    path("", include("loa.learning.urls")),
    path("", include("loa.content.urls")),
    path("", include("loa.channels.urls")),
    path("", include("loa.reports.urls")),
    path("", include("loa.library.urls")),
    path("api/", api.urls),
    path("django-admin/", admin.site.urls),
    path("cms/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
]

# Media: only the portal's Wagtail images are public (loa.core.media). DEBUG used to
# serve all of MEDIA_ROOT here, plan files and evidence included; now these folders only.
# Outside DEBUG the view answers 404 when LOA_SERVE_MEDIA is off (nginx serves them).
# Left out when MEDIA_URL is another host's address, as static() did.
if settings.MEDIA_URL.startswith("/"):
    _media_prefix = re.escape(settings.MEDIA_URL.lstrip("/"))
    _image_folders = "|".join(media.PUBLIC_FOLDERS)
    urlpatterns.append(
        re_path(
            rf"^{_media_prefix}(?P<path>(?:{_image_folders})/.+)$",
            media.public_image,
            name="media_image",
        )
    )

# The portal (Wagtail pages) answers every path not taken above.
urlpatterns.append(path("", include(wagtail_urls)))
