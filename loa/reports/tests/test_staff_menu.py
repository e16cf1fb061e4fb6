"""The staff menu shows each person only what they can open, and the resident's
assistant button stays off staff pages."""

import re

import pytest
from django.contrib.auth.models import Group

from loa.core import roles
from loa.core.models import Membership
from loa.core.tests.factories import UserFactory, staff_user

pytestmark = pytest.mark.django_db
NAV = re.compile(r'<nav id="staff-nav".*?</nav>', re.S)


def _menu_links(client) -> dict[str, str]:
    page = client.get("/", follow=True).content.decode()
    nav = NAV.search(page).group(0)
    return {
        label.strip(): href
        for href, label in re.findall(r'<a href="([^"]+)">([^<]+)</a>', nav)
    }


def _city_user():
    user = UserFactory()
    user.save()
    user.groups.add(Group.objects.get_or_create(name=roles.CITY_STAFF)[0])
    Membership.objects.create(user=user, ward=None, city="Thành phố Hải Phòng")
    return user


@pytest.mark.parametrize("who", ["city", "unit", "culture"])
def test_every_entry_of_a_persons_menu_opens_for_them(client, ward_a, who):
    user = {
        "city": _city_user,
        "unit": lambda: staff_user(
            ward=ward_a.ward, unit=ward_a.service, role=roles.UNIT_STAFF
        ),
        "culture": lambda: staff_user(
            ward=ward_a.ward, unit=ward_a.culture, role=roles.CULTURE_STAFF
        ),
    }[who]()
    client.force_login(user)
    links = _menu_links(client)
    assert links
    for label, href in links.items():
        if label == "Viết bài":
            continue  # opens Wagtail's editor, which needs the ward's portal (content tests)
        assert client.get(href).status_code == 200, (who, label, href)
    if who == "city":
        assert "Kế hoạch" not in links and "Báo cáo các phường đã gửi" in links
    if who == "culture":
        assert {"Ấn phẩm", "Phát thanh", "Viết bài"} <= set(links)
    if who == "unit":
        assert (
            "Ấn phẩm" not in links and "Nhật ký" not in links and "Trợ lý" not in links
        )


def test_the_residents_assistant_button_is_not_on_staff_pages(client, ward_a):
    assert "assistant/widget" in client.get("/huong-dan/").content.decode()
    # The assistant's own page needs no floating button over its conversation.
    assert "assistant/widget" not in client.get("/tro-ly/").content.decode()
    client.force_login(
        staff_user(ward=ward_a.ward, unit=ward_a.culture, role=roles.CULTURE_STAFF)
    )
    assert "assistant/widget" not in client.get("/ke-hoach/").content.decode()
