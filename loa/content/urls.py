from django.urls import path

from .views import approvals, editor, feeds, search

app_name = "content"

urlpatterns = [
    path("search/", search.search, name="search"),
    path("rss/", feeds.LatestArticlesFeed(), name="rss"),
    path("atom/", feeds.LatestArticlesAtomFeed(), name="atom"),
    # A signed approval link (loa.content.approvals): approve or return an article.
    path("duyet/<str:token>/", approvals.decide, name="approval_decide"),
    # "Viết bài" in the staff menu: Wagtail's editor for a new article of the ward.
    path("viet-bai/", editor.article_write, name="article_write"),
    # Wagtail's own login page: Loa's Vietnamese login instead (before /cms/ in
    # loa/urls.py, so this one answers).
    path("cms/login/", editor.cms_login, name="cms_login"),
]
