"""Reach the channel pages from the Wagtail admin where editors work."""

from django.urls import reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets import ListingButton


@hooks.register("register_admin_menu_item")
def channels_menu_item():
    return MenuItem(
        "Kênh đăng và lịch",
        reverse("loa_channels:delivery_list"),
        icon_name="mail",
        order=300,
    )


@hooks.register("register_page_listing_buttons")
def choose_channels_button(page, user=None, **kwargs):
    if page.specific_class.__name__ == "ArticlePage":
        yield ListingButton(
            "Chọn kênh đăng",
            reverse("loa_channels:choose", args=[page.pk]),
            priority=60,
        )
