"""Starter portal: home page, the five chuyên mục, three sample articles, the workflow.

Idempotent: pages are matched by slug under their parent, groups and workflow steps by
name, so running it again creates nothing new and leaves editors' changes alone.
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Site,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from loa.core import roles

from .models import ArticlePage, HomePage, SectionPage

HOME = {
    "slug": "trang-chu",
    "title": "Cổng thông tin phường",
    "hero_title": "Khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số",
    "hero_text": (
        "Tin tức, hướng dẫn và kế hoạch của phường về khoa học, công nghệ, đổi mới "
        "sáng tạo và chuyển đổi số, viết ngắn gọn để bà con dễ đọc, dễ làm theo."
    ),
}

SECTIONS = [
    (
        "khoa-hoc-cong-nghe",
        "Khoa học, công nghệ",
        "KHCN",
        "Tin về khoa học, công nghệ và ứng dụng vào đời sống của phường.",
    ),
    (
        "doi-moi-sang-tao",
        "Đổi mới sáng tạo",
        "ĐMST",
        "Sáng kiến, cách làm mới của cán bộ, doanh nghiệp và người dân.",
    ),
    (
        "chuyen-doi-so",
        "Chuyển đổi số",
        "CĐS",
        "Chính quyền số, kinh tế số, xã hội số: tin tức và hướng dẫn.",
    ),
    (
        "binh-dan-hoc-vu-so",
        "Bình dân học vụ số",
        "BDHVS",
        "Phong trào phổ cập kỹ năng số cho mọi người dân.",
    ),
    (
        "guong-dien-hinh",
        "Gương điển hình",
        "",
        "Những tập thể, cá nhân làm tốt chuyển đổi số ở khu dân cư.",
    ),
]

ARTICLES = [
    {
        "section": "chuyen-doi-so",
        "slug": "chuyen-doi-so-la-gi",
        "title": "Chuyển đổi số là gì? Hiểu đơn giản trong ba phút",
        "sapo": (
            "Chuyển đổi số là đưa công việc của cơ quan, việc sản xuất, kinh doanh và "
            "sinh hoạt hằng ngày lên môi trường số. Nghị quyết 57-NQ/TW coi đây là một "
            "đột phá quan trọng hàng đầu của đất nước."
        ),
        "paragraphs": [
            "<p>Theo Nghị quyết 57-NQ/TW của Bộ Chính trị, khoa học, công nghệ (KHCN), "
            "đổi mới sáng tạo (ĐMST) và chuyển đổi số (CĐS) là \u201cđột phá quan trọng "
            "hàng đầu\u201d. (Nguồn: toàn văn Nghị quyết 57-NQ/TW; Sở Khoa học và Công "
            "nghệ tỉnh Bình Định.)</p>",
            "<p>Với người dân, chuyển đổi số gần gũi hơn ta nghĩ: nộp hồ sơ qua dịch vụ "
            "công trực tuyến, thanh toán bằng mã QR, học kỹ năng mới trên điện thoại.</p>",
            "<p>Nghị quyết đặt mục tiêu kinh tế số đạt tối thiểu 30% GDP vào năm 2030 "
            "và giao dịch không dùng tiền mặt đạt 80% vào năm 2030. (Nguồn: Nghị quyết "
            "57-NQ/TW.)</p>",
        ],
        "quote": (
            "Một hệ thống thống nhất – một dữ liệu duy nhất – một dịch vụ liền mạch.",
            "Nguyên tắc nêu trong Kế hoạch 02-KH/BCĐTW (theo vietnam.vn)",
        ),
        "tags": ["chuyển đổi số", "Nghị quyết 57"],
    },
    {
        "section": "binh-dan-hoc-vu-so",
        "slug": "phong-trao-binh-dan-hoc-vu-so",
        "title": "Phong trào \u201cBình dân học vụ số\u201d: ai cũng học được kỹ năng số",
        "sapo": (
            "\u201cBình dân học vụ số\u201d phổ cập kiến thức về chuyển đổi số và kỹ "
            "năng số cho người dân, với tinh thần \u201ctoàn dân, toàn diện, không ai "
            "bị bỏ lại phía sau\u201d."
        ),
        "paragraphs": [
            "<p>Phong trào do Tổng Bí thư Tô Lâm đề xuất ngày 18/11/2024. Ngày "
            "21/3/2025, Ban Chỉ đạo Trung ương ban hành Kế hoạch 01-KH/BCĐTW về phong "
            "trào; chiều 26/3/2025, Thủ tướng Phạm Minh Chính chủ trì lễ phát động tại "
            "Đại học Bách khoa Hà Nội. (Nguồn: Báo Sài Gòn Giải Phóng; Tỉnh ủy Đắk "
            "Nông.)</p>",
            "<p>Bà con học miễn phí trên nền tảng https://binhdanhocvuso.gov.vn, do Bộ "
            "Công an phối hợp với Đại học Bách khoa Hà Nội xây dựng. Khi ra mắt, nền "
            "tảng có hơn 3.000 khóa học. (Nguồn: Báo Sài Gòn Giải Phóng; UBND thị xã "
            "Chơn Thành.)</p>",
            "<p>Tên phong trào nối tiếp phong trào \u201cBình dân học vụ\u201d chống "
            "nạn mù chữ do Chủ tịch Hồ Chí Minh phát động năm 1945. (Nguồn: Báo Cựu "
            "chiến binh.)</p>",
        ],
        "tags": ["Bình dân học vụ số", "kỹ năng số"],
    },
    {
        "section": "chuyen-doi-so",
        "slug": "canh-giac-cuoc-goi-gia-danh-cong-an",
        "title": "Cảnh giác cuộc gọi giả danh công an, cán bộ phường",
        "sapo": (
            "Công an không giải quyết công việc với người dân qua cuộc gọi hay tin nhắn "
            "mạng xã hội, và không bao giờ đề nghị chuyển tiền hay đọc mã OTP."
        ),
        "paragraphs": [
            "<p>Kẻ gian có thể gọi từ số di động bình thường, tự xưng là cán bộ phường "
            "hoặc cảnh sát khu vực và đọc đúng họ tên, ngày sinh của bà con để tạo "
            "lòng tin. (Nguồn: khuyến cáo của Bộ Công an, theo CafeF; Công an tỉnh Ninh "
            "Bình.)</p>",
            "<p>Việc sửa, cập nhật thông tin định danh phải làm trực tiếp tại Công an "
            "phường nơi cư trú, không làm qua đường link lạ. (Nguồn: Báo Kiến "
            "thức.)</p>",
            "<p>Chỉ dùng đúng địa chỉ dichvucong.gov.vn và cài VNeID từ kho ứng dụng "
            "chính thức. (Nguồn: khuyến cáo của Bộ Công an, theo CafeF.)</p>",
        ],
        "tags": ["lừa đảo trực tuyến", "an toàn số"],
    },
]

WORKFLOW_NAME = "Duyệt tin bài"
# Steps of the workflow, in order: (task name, group that approves it).
WORKFLOW_STEPS = [(roles.APPROVER, roles.APPROVER), (roles.LEADER, roles.LEADER)]
# Nothing reaches the portal unapproved: editors and reviewers cannot publish, so their
# only way to the public is "Submit to Duyệt tin bài". The leader keeps publish_page
# because the workflow's last approval publishes as the approving user, and Wagtail
# refuses that publish without it; it also lets a leader unpublish at once.
PAGE_PERMISSIONS = {
    roles.EDITOR: ["add_page", "change_page"],
    roles.APPROVER: ["add_page", "change_page"],
    roles.LEADER: ["change_page", "publish_page"],
}
# Page permissions taken away from roles that an earlier starter granted.
PAGE_PERMISSIONS_REVOKED = {
    roles.EDITOR: ["publish_page"],
    roles.APPROVER: ["publish_page"],
}
IMAGE_PERMISSIONS = ["add_image", "change_image", "choose_image"]


@transaction.atomic
def content_starter_load() -> dict:
    """Create the portal's home page, sections, sample articles, roles and workflow."""
    home = _home_ensure()
    created = {"sections": 0, "articles": 0}
    sections = {}
    for slug, title, short_name, intro in SECTIONS:
        section = SectionPage.objects.child_of(home).filter(slug=slug).first()
        if section is None:
            section = SectionPage(
                slug=slug, title=title, short_name=short_name, intro=intro
            )
            home.add_child(instance=section)
            section.save_revision().publish()
            created["sections"] += 1
        sections[slug] = section
    for data in ARTICLES:
        parent = sections[data["section"]]
        if ArticlePage.objects.child_of(parent).filter(slug=data["slug"]).exists():
            continue
        body = [("paragraph", p) for p in data["paragraphs"]]
        if data.get("quote"):
            text, who = data["quote"]
            body.insert(1, ("quote", {"text": text, "attribution": who}))
        article = ArticlePage(
            slug=data["slug"], title=data["title"], sapo=data["sapo"], body=body
        )
        article.tags.add(*data["tags"])
        parent.add_child(instance=article)
        article.save_revision().publish()
        created["articles"] += 1
    _workflow_ensure(home)
    return {"home": home, **created}


def _home_ensure() -> HomePage:
    root = Page.get_first_root_node()
    home = HomePage.objects.child_of(root).first()
    if home is None:
        home = HomePage(**HOME)
        root.add_child(instance=home)
        home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname="localhost", port=80, root_page=home, is_default_site=True
        )
    elif site.root_page_id != home.pk:
        old_root = site.root_page
        site.root_page = home
        site.save()
        # Wagtail's "Welcome to your new Wagtail site!" page: nobody wrote it.
        if (
            old_root.specific_class is Page
            and old_root.is_leaf()
            and not Site.objects.filter(root_page=old_root).exists()
        ):
            old_root.delete()
    return home


def _workflow_ensure(home: HomePage) -> None:
    groups = {
        name: Group.objects.get_or_create(name=name)[0] for name in roles.ALL_ROLES
    }
    access_admin = Permission.objects.get(
        content_type__app_label="wagtailadmin", codename="access_admin"
    )
    root_collection = Collection.get_first_root_node()
    for role, codenames in PAGE_PERMISSIONS.items():
        group = groups[role]
        group.permissions.add(access_admin)
        for codename in codenames:
            GroupPagePermission.objects.get_or_create(
                group=group,
                page=home,
                permission=Permission.objects.get(
                    content_type__app_label="wagtailcore", codename=codename
                ),
            )
        GroupPagePermission.objects.filter(
            group=group,
            page=home,
            permission__content_type__app_label="wagtailcore",
            permission__codename__in=PAGE_PERMISSIONS_REVOKED.get(role, []),
        ).delete()
        for codename in IMAGE_PERMISSIONS:
            GroupCollectionPermission.objects.get_or_create(
                group=group,
                collection=root_collection,
                permission=Permission.objects.get(
                    content_type__app_label="wagtailimages", codename=codename
                ),
            )
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME)
    for order, (task_name, role) in enumerate(WORKFLOW_STEPS):
        task = GroupApprovalTask.objects.filter(name=task_name).first()
        if task is None:
            task = GroupApprovalTask.objects.create(name=task_name)
        task.groups.add(groups[role])
        WorkflowTask.objects.get_or_create(
            workflow=workflow, task=task, defaults={"sort_order": order}
        )
    WorkflowPage.objects.update_or_create(page=home, defaults={"workflow": workflow})
