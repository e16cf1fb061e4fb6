from django.urls import path

from . import feeds, views

app_name = "content"

urlpatterns = [
    path("search/", views.search, name="search"),
    path("rss/", feeds.LatestArticlesFeed(), name="rss"),
    path("atom/", feeds.LatestArticlesAtomFeed(), name="atom"),
]
