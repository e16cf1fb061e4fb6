from django.urls import path

from .views import feeds, search

app_name = "content"

urlpatterns = [
    path("search/", search.search, name="search"),
    path("rss/", feeds.LatestArticlesFeed(), name="rss"),
    path("atom/", feeds.LatestArticlesAtomFeed(), name="atom"),
]
