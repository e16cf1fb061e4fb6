import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from loa.core import roles
from loa.core.models import Membership, Ward
from loa.core.tests.factories import UserFactory, WardFactory, staff_user
from loa.library.models import LibraryCopy, LibraryItem
from loa.library.services import item_copy, item_create, template_units
from loa.plans.models import Plan

pytestmark = pytest.mark.django_db
CITY = "Thành phố Hải Phòng"
TEMPLATE = (
    "Phòng Văn hóa - Xã hội | Xây dựng nội dung tuyên truyền | Chủ trì\n"
    "Phòng Văn hóa - Xã hội | Tổng hợp, báo cáo kết quả | Chủ trì | Hằng tháng\n"
    "Trung tâm Dịch vụ sự nghiệp công | Phát chuyên mục trên loa | Phối hợp | Hằng tuần\n"
)


@pytest.fixture
def city_staff(db):
    user = UserFactory()
    user.save()
    user.groups.add(Group.objects.get_or_create(name=roles.CITY_STAFF)[0])
    Membership.objects.create(user=user, ward=None, city=CITY)
    return user


@pytest.fixture
def template(city_staff):
    return item_create(
        by=city_staff,
        kind=LibraryItem.Kind.PLAN_TEMPLATE,
        title="Mẫu kế hoạch năm 2027",
        summary="",
        body=TEMPLATE,
        source="Sở Khoa học và Công nghệ",
    )


def test_template_lines_become_units_and_tasks():
    units = template_units(TEMPLATE)
    assert [u["name"] for u in units] == [
        "Phòng Văn hóa - Xã hội",
        "Trung tâm Dịch vụ sự nghiệp công",
    ]
    assert units[0]["tasks"][1] == {
        "text": "Tổng hợp, báo cáo kết quả",
        "role": "chu_tri",
        "recurrence": "hang_thang",
        "due": None,
    }
    assert units[1]["tasks"][0]["role"] == "phoi_hop"
    with pytest.raises(ValidationError, match="Dòng 2"):
        template_units("Đơn vị | việc\nmột dòng không có dấu gạch")


def test_ward_copies_a_plan_template_into_review_with_its_source(template):
    ward = WardFactory(province=CITY)
    leader = staff_user(ward=ward, role=roles.LEADER)
    copy = item_copy(template, ward=ward, by=leader)
    plan = Plan.objects.get(ward=ward)
    assert plan.status == Plan.Status.REVIEW
    assert (
        "Sở Khoa học và Công nghệ" in plan.original_text
        and "thư viện dùng chung" in plan.original_text
    )
    assert sum(len(u["tasks"]) for u in plan.parsed["units"]) == 3
    assert copy.target_url == reverse("plans:plan_review", args=[plan.pk])


def test_review_screen_opens_a_copied_template(client, template):
    ward = WardFactory(province=CITY)
    leader = staff_user(ward=ward, role=roles.LEADER)
    item_copy(template, ward=ward, by=leader)
    client.force_login(leader)
    page = client.get(
        reverse("plans:plan_review", args=[Plan.objects.get(ward=ward).pk])
    ).content.decode()
    assert "Phát chuyên mục trên loa" in page and "Tạo từ mẫu" in page


def test_only_the_citys_wards_see_and_copy(client, template):
    other_city = WardFactory(province="Thành phố Hà Nội")
    stranger = staff_user(ward=other_city, role=roles.LEADER)
    client.force_login(stranger)
    assert (
        client.get(reverse("library:item_detail", args=[template.pk])).status_code
        == 404
    )
    assert (
        client.post(reverse("library:item_copy", args=[template.pk])).status_code == 404
    )
    with pytest.raises(PermissionDenied):
        item_copy(template, ward=other_city, by=stranger)
    assert not Plan.objects.exists()


def test_unit_staff_cannot_copy_a_plan_template(template):
    ward = WardFactory(province=CITY)
    unit_staff = staff_user(ward=ward, role=roles.UNIT_STAFF)
    with pytest.raises(PermissionDenied):
        item_copy(template, ward=ward, by=unit_staff)


def test_ward_staff_cannot_publish_to_the_library(client):
    ward = WardFactory(province=CITY)
    leader = staff_user(ward=ward, role=roles.LEADER)
    with pytest.raises(PermissionDenied):
        item_create(
            by=leader, kind="bai_viet", title="x", summary="", body="x", source="x"
        )
    client.force_login(leader)
    response = client.post(
        reverse("library:item_list"),
        {"kind": "bai_viet", "title": "x", "body": "x", "source": "x"},
    )
    assert response.status_code == 403 and not LibraryItem.objects.exists()


def test_a_ward_sees_only_its_own_copies(client, template):
    ward_a, ward_b = WardFactory(province=CITY), WardFactory(province=CITY)
    a, b = (
        staff_user(ward=ward_a, role=roles.LEADER),
        staff_user(ward=ward_b, role=roles.LEADER),
    )
    item_copy(template, ward=ward_a, by=a)
    client.force_login(b)
    page = client.get(
        reverse("library:item_detail", args=[template.pk])
    ).content.decode()
    assert ward_a.display_name.capitalize() not in page


def test_city_staff_publish_and_see_which_wards_used_it(client, city_staff):
    client.force_login(city_staff)
    response = client.post(
        reverse("library:item_list"),
        {
            "kind": "mau_ke_hoach",
            "title": "Mẫu",
            "summary": "",
            "body": "một dòng sai",
            "source": "Sở",
        },
    )
    assert "Dòng 1 của mẫu kế hoạch" in response.content.decode()
    assert not LibraryItem.objects.exists()
    response = client.post(
        reverse("library:item_list"),
        {
            "kind": "mau_ke_hoach",
            "title": "Mẫu",
            "summary": "",
            "body": TEMPLATE,
            "source": "Sở",
        },
    )
    item = LibraryItem.objects.get()
    assert response["Location"] == reverse("library:item_detail", args=[item.pk])
    ward = WardFactory(province=CITY, name="Lê Thanh Nghị")
    item_copy(item, ward=ward, by=staff_user(ward=ward, role=roles.CULTURE_STAFF))
    page = client.get(reverse("library:item_detail", args=[item.pk])).content.decode()
    assert "Phường Lê Thanh Nghị" in page


@pytest.mark.slow
def test_a_radio_bulletin_is_read_aloud_and_waits_for_approval(
    city_staff, settings, tmp_path
):
    from loa.channels.models import RadioSegment

    settings.MEDIA_ROOT = tmp_path
    item = item_create(
        by=city_staff,
        kind=LibraryItem.Kind.RADIO,
        title="Cảnh giác lừa đảo",
        summary="",
        body="Cơ quan nhà nước không yêu cầu chuyển tiền qua điện thoại.",
        source="Công an thành phố",
    )
    ward = WardFactory(province=CITY)
    copy = item_copy(item, ward=ward, by=staff_user(ward=ward, role=roles.EDITOR))
    segment = RadioSegment.objects.get(ward=ward)
    assert segment.approved_at is None and segment.seconds > 1
    script = (tmp_path / segment.script_txt).read_text(encoding="utf-8")
    assert "Nguồn: Công an thành phố" in script
    assert LibraryCopy.objects.get() == copy


def test_an_article_becomes_a_draft_with_its_source(city_staff):
    from loa.content.models import ArticlePage
    from loa.content.starter import content_starter_load
    from loa.core.tests.factories import ward_ensure

    ward_ensure()
    content_starter_load()
    item = item_create(
        by=city_staff,
        kind=LibraryItem.Kind.ARTICLE,
        title="Thanh toán QR ở chợ",
        summary="Chợ dân sinh nhận QR.",
        body="Đoạn một.\n<script>alert(1)</script>",
        source="Sở Công Thương",
    )
    ward = Ward.objects.filter(province=CITY).first() or WardFactory(province=CITY)
    item_copy(item, ward=ward, by=staff_user(ward=ward, role=roles.EDITOR))
    page = ArticlePage.objects.get(title="Thanh toán QR ở chợ")
    assert not page.live
    body = str(page.body)
    assert "Nguồn: Sở Công Thương" in body and "<script>" not in body


def test_an_article_copied_by_a_ward_lands_in_that_wards_portal(city_staff):
    """It used to land in the first chuyên mục of the install: another ward's portal."""
    from loa.content.models import ArticlePage
    from loa.content.starter import content_starter_load
    from loa.content.wards import ward_for_page
    from loa.core.tests.factories import ward_ensure

    first = ward_ensure()
    second = WardFactory(province=CITY, name="Thành Đông", slug="thanh-dong")
    content_starter_load()
    item = item_create(
        by=city_staff,
        kind=LibraryItem.Kind.ARTICLE,
        title="Chợ 4.0",
        summary="Chợ nhận thanh toán không tiền mặt.",
        body="Đoạn một.",
        source="Sở Công Thương",
    )
    item_copy(item, ward=second, by=staff_user(ward=second, role=roles.EDITOR))
    page = ArticlePage.objects.get(title="Chợ 4.0")
    assert ward_for_page(page) == second != first
