"""Starter portals: for each ward its site, home page, the five chuyên mục, three sample
articles with pictures, its editorial groups and the workflow.

Idempotent: pages are matched by slug under their parent, groups and workflow steps by
name, so running it again creates nothing new and leaves editors' changes alone.
"""

from __future__ import annotations

import io
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.files.images import ImageFile
from django.db import transaction
from django.utils.text import capfirst
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
from loa.core.models import Ward
from loa.core.services import ward_address_set

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
# Phòng Văn hóa - Xã hội edits content too (the plan's lead unit; it copies the city
# library's articles): an editor's rights, through the same approval.
PAGE_PERMISSIONS = {
    roles.EDITOR: ["add_page", "change_page"],
    roles.APPROVER: ["add_page", "change_page"],
    roles.CULTURE_STAFF: ["add_page", "change_page"],
    roles.LEADER: ["change_page", "publish_page"],
}
IMAGE_PERMISSIONS = ["add_image", "change_image", "choose_image"]


# Each article's picture: drawn at setup (no file to ship), in the section's colour.
SECTION_COLOURS = {
    "khoa-hoc-cong-nghe": ((14, 80, 160), (40, 150, 210)),
    "doi-moi-sang-tao": ((150, 60, 20), (230, 140, 40)),
    "chuyen-doi-so": ((10, 100, 80), (30, 170, 120)),
    "binh-dan-hoc-vu-so": ((120, 20, 40), (210, 60, 60)),
    "guong-dien-hinh": ((90, 40, 130), (160, 90, 200)),
}
FONT_PATH = Path("/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf")


@transaction.atomic
def content_starter_load() -> dict:
    """Give every active ward its portal: a Wagtail site at its own address, the home
    page, the five chuyên mục, sample articles with pictures, the ward's editorial groups
    and its "Duyệt tin bài" workflow. Returns the default ward's portal."""
    wards = list(Ward.objects.filter(is_active=True).order_by("pk"))
    default_ward = _default_ward(wards)
    portals = [
        portal_ensure(ward=ward, is_default=ward == default_ward) for ward in wards
    ]
    first = next((p for p in portals if p["ward"] == default_ward), None)
    return {
        **(first or {"home": None, "sections": 0, "articles": 0}),
        "portals": portals,
    }


def _default_ward(wards: list[Ward]) -> Ward | None:
    """The ward the install's main address shows: the one already on the default site,
    else the first ward created (the seed ward)."""
    site = Site.objects.filter(is_default_site=True).first()
    for ward in wards:
        if site is not None and ward.site_id == site.pk:
            return ward
    return wards[0] if wards else None


def demo_address(ward: Ward, *, is_default: bool) -> str:
    """The address a ward's portal starts at before staff set a real one: the install's
    base address for the default ward, `<ward>.localhost` on the same port for the others
    (browsers and curl send *.localhost to this machine; nothing to configure)."""
    base = urlsplit(settings.WAGTAILADMIN_BASE_URL)
    if is_default:
        return f"{base.scheme}://{base.netloc}"
    port = f":{base.port}" if base.port else ""
    return f"{base.scheme}://{ward.slug}.localhost{port}"


def portal_ensure(*, ward: Ward, is_default: bool) -> dict:
    """The ward's portal, created where missing; editors' changes are left alone."""
    home = _home_ensure(ward, is_default=is_default)
    created = {"sections": 0, "articles": 0}
    collection = _collection_ensure(ward)
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
        section_title = parent.title
        article = ArticlePage(
            slug=data["slug"],
            title=data["title"],
            sapo=data["sapo"],
            body=body,
            image=_picture(ward, collection, data, section_title),
            image_alt=f"Ảnh minh họa chuyên mục {section_title}: {data['title']}",
        )
        article.tags.add(*data["tags"])
        parent.add_child(instance=article)
        article.save_revision().publish()
        created["articles"] += 1
    _workflow_ensure(ward, home, collection)
    return {"ward": ward, "home": home, **created}


def _home_ensure(ward: Ward, *, is_default: bool) -> HomePage:
    root = Page.get_first_root_node()
    site = ward.site
    home = site.root_page.specific if site is not None else None
    if not isinstance(home, HomePage):
        home = None
    if home is None and is_default:
        # An install from before wards had their own portal: its one portal is the
        # default ward's.
        taken = Site.objects.filter(ward__isnull=False).values("root_page")
        home = HomePage.objects.child_of(root).exclude(pk__in=taken).first()
    if home is None:
        home = HomePage(
            slug=ward.slug,
            title=f"Cổng thông tin {ward.display_name}",
            hero_title=HOME["hero_title"],
            hero_text=HOME["hero_text"],
        )
        root.add_child(instance=home)
        home.save_revision().publish()
    if site is None:
        site = Site.objects.filter(is_default_site=True).first() if is_default else None
        if site is None:
            site = Site(root_page=home, is_default_site=is_default, port=80)
        old_root = site.root_page if site.pk else None
        site.root_page = home
        site.site_name = ward.display_name
        site.hostname = f"{ward.slug}.localhost"  # until ward_address_set below
        site.save()
        ward.site = site
        ward.save(update_fields=["site"])
        # Wagtail's "Welcome to your new Wagtail site!" page: nobody wrote it.
        if (
            old_root is not None
            and old_root.pk != home.pk
            and old_root.specific_class is Page
            and old_root.is_leaf()
            and not Site.objects.filter(root_page=old_root).exists()
        ):
            old_root.delete()
        ward_address_set(
            ward=ward,
            address=ward.public_address or demo_address(ward, is_default=is_default),
        )
    return home


def _collection_ensure(ward: Ward) -> Collection:
    """The ward's own image collection: its editors choose only its pictures."""
    name = f"Ảnh {ward.display_name}"
    root = Collection.get_first_root_node()
    found = root.get_children().filter(name=name).first()
    return found or root.add_child(name=name)


def _picture(ward: Ward, collection: Collection, data: dict, section_title: str):
    """A 1200×630 title card for a starter article, in the section's colours."""
    from PIL import Image as PILImage
    from PIL import ImageDraw, ImageFont
    from wagtail.images import get_image_model

    top, bottom = SECTION_COLOURS.get(data["section"], ((30, 60, 120), (60, 120, 200)))
    width, height = 1200, 630
    picture = PILImage.new("RGB", (width, height), top)
    draw = ImageDraw.Draw(picture)
    for y in range(height):
        t = y / height
        colour = tuple(round(a + (b - a) * t) for a, b in zip(top, bottom, strict=True))
        draw.line([(0, y), (width, y)], fill=colour)
    for i, radius in enumerate((260, 190, 120)):
        draw.ellipse(
            [width - 340 - radius, 330 - radius, width - 340 + radius, 330 + radius],
            outline=(255, 255, 255),
            width=6 - i,
        )
    if FONT_PATH.exists():
        big = ImageFont.truetype(str(FONT_PATH), 64)
        small = ImageFont.truetype(str(FONT_PATH), 34)
        draw.text((70, 420), section_title.upper(), font=big, fill=(255, 255, 255))
        draw.text(
            (70, 510), capfirst(ward.display_name), font=small, fill=(235, 235, 235)
        )
    buffer = io.BytesIO()
    picture.save(buffer, format="JPEG", quality=85)
    Image = get_image_model()
    return Image.objects.create(
        title=f"{data['title']} ({ward.display_name})",
        collection=collection,
        file=ImageFile(buffer, name=f"{ward.slug}-{data['slug']}.jpg"),
    )


def ward_group_name(role: str, ward: Ward) -> str:
    return f"{role} — {ward.display_name}"


def _workflow_ensure(ward: Ward, home: HomePage, collection: Collection) -> None:
    """The ward's editorial groups, holding page rights on its own tree only, and its
    "Duyệt tin bài" workflow whose steps only its own approver and leader can decide."""
    access_admin = Permission.objects.get(
        content_type__app_label="wagtailadmin", codename="access_admin"
    )
    root_collection = Collection.get_first_root_node()
    groups = {}
    for role, codenames in PAGE_PERMISSIONS.items():
        roles_group = Group.objects.get_or_create(name=role)[0]
        roles_group.permissions.add(access_admin)
        # Rights an install gave the install-wide role group would reach every ward.
        GroupPagePermission.objects.filter(group=roles_group).delete()
        GroupCollectionPermission.objects.filter(
            group=roles_group, collection=root_collection
        ).delete()
        group = groups[role] = Group.objects.get_or_create(
            name=ward_group_name(role, ward)
        )[0]
        group.permissions.add(access_admin)
        for codename in codenames:
            GroupPagePermission.objects.get_or_create(
                group=group,
                page=home,
                permission=Permission.objects.get(
                    content_type__app_label="wagtailcore", codename=codename
                ),
            )
        for codename in IMAGE_PERMISSIONS:
            GroupCollectionPermission.objects.get_or_create(
                group=group,
                collection=collection,
                permission=Permission.objects.get(
                    content_type__app_label="wagtailimages", codename=codename
                ),
            )
    workflow, _ = Workflow.objects.get_or_create(
        name=f"{WORKFLOW_NAME} — {ward.display_name}"
    )
    steps = {t.name: t.specific for t in workflow.tasks}
    for order, (task_name, role) in enumerate(WORKFLOW_STEPS):
        task = steps.get(task_name)
        if task is None:
            task = GroupApprovalTask.objects.create(name=task_name)
            WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=order)
        task.groups.set([groups[role]])
    WorkflowPage.objects.update_or_create(page=home, defaults={"workflow": workflow})
    ward_editorial_groups_sync(ward=ward)


def ward_editorial_groups_sync(*, ward: Ward | None = None, user=None) -> None:
    """Put each staff member with an editorial role into their own ward's editorial
    group and out of every other ward's (run when roles or memberships change)."""
    User = get_user_model()
    users = (
        User.objects.filter(pk=user.pk)
        if user is not None
        else User.objects.filter(membership__ward=ward)
    )
    prefixes = tuple(f"{role} — " for role in PAGE_PERMISSIONS)
    for person in users.select_related("membership__ward"):
        membership = getattr(person, "membership", None)
        own_ward = membership.ward if membership else None
        names = set(person.groups.values_list("name", flat=True))
        wanted = {
            ward_group_name(role, own_ward)
            for role in PAGE_PERMISSIONS
            if own_ward is not None and role in names
        }
        current = {name for name in names if name.startswith(prefixes)}
        if current != wanted:
            person.groups.remove(*Group.objects.filter(name__in=current - wanted))
            person.groups.add(*Group.objects.filter(name__in=wanted - current))
