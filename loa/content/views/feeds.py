"""RSS 2.0 and Atom feeds of the latest published articles."""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from wagtail.models import Site

from ..models import ArticlePage
from ..selectors import site_pages

FEED_SIZE = 20


class LatestArticlesFeed(Feed):
    description = (
        "Tin bài mới nhất về khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số."
    )

    def __call__(self, request, *args, **kwargs):
        self.request = request
        return super().__call__(request, *args, **kwargs)

    def title(self):
        site = Site.find_for_request(self.request)
        name = site.root_page.title if site else "Cổng thông tin"
        return f"Tin bài mới — {name}"

    def link(self):
        return "/"

    def feed_url(self):
        return reverse("content:rss")

    def items(self):
        # The articles of the ward whose address the feed was read at.
        site = Site.find_for_request(self.request)
        return site_pages(ArticlePage, site).order_by("-first_published_at")[:FEED_SIZE]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.sapo

    def item_link(self, item):
        return item.get_url(self.request)

    def item_pubdate(self, item):
        return item.first_published_at

    def item_updateddate(self, item):
        return item.last_published_at

    def item_categories(self, item):
        return [tag.name for tag in item.tags.all()]


class LatestArticlesAtomFeed(LatestArticlesFeed):
    feed_type = Atom1Feed
    subtitle = LatestArticlesFeed.description

    def feed_url(self):
        return reverse("content:atom")
