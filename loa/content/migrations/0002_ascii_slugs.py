"""Give every page with a Vietnamese slug an ASCII one, old addresses redirected (301).

Historical models have none of Wagtail's Page.save logic, so slug and url_path (of the
page and of everything under it) are written with plain queryset updates here.
"""

from django.db import migrations
from django.db.models import Q, TextField, Value
from django.db.models.functions import Concat, Substr
from wagtail.contrib.redirects.models import Redirect as LiveRedirect

from loa.content.slugs import (
    FALLBACK_SLUG,
    REDIRECT_PATH_MAX_LENGTH,
    ascii_slug,
    slug_with_suffix,
)

# Treebeard's path step for wagtailcore.Page (Page.steplen); a historical model lacks it.
STEPLEN = 4


def _public_paths(Page, Site):
    """{page id: {(site id, normalised public path)}} for every page a site routes."""
    roots = list(Site.objects.values_list("pk", "root_page__url_path"))
    paths = {}
    for page_id, url_path in Page.objects.values_list("pk", "url_path"):
        for site_id, root_path in roots:
            if root_path and url_path and url_path.startswith(root_path):
                path = url_path[len(root_path) - 1 :]
                paths.setdefault(page_id, set()).add(
                    (site_id, LiveRedirect.normalise_path(path))
                )
    return paths


def _rename(Page, Revision, page):
    parent = Page.objects.filter(path=page.path[:-STEPLEN]).first()
    siblings = Page.objects.filter(
        path__startswith=page.path[:-STEPLEN], depth=page.depth
    ).exclude(pk=page.pk)
    base = ascii_slug(page.slug) or ascii_slug(page.title) or FALLBACK_SLUG
    new_slug = slug_with_suffix(base, lambda s: siblings.filter(slug=s).exists())

    # Read now: an ancestor renamed a moment ago changed it.
    old_url_path = Page.objects.get(pk=page.pk).url_path
    new_url_path = (parent.url_path if parent else "/") + new_slug + "/"
    Page.objects.filter(pk=page.pk).update(slug=new_slug)
    # The page and its subpages, found by tree path (the url_path prefix could match
    # case-insensitively on SQLite).
    Page.objects.filter(path__startswith=page.path).update(
        url_path=Concat(
            Value(new_url_path),
            Substr("url_path", len(old_url_path) + 1),
            output_field=TextField(),
        )
    )

    # The edit form starts from the latest revision, and a publish writes a revision's
    # slug back: revisions still holding the old slug would undo the rename.
    revisions = Revision.objects.filter(
        content_type_id=page.content_type_id, object_id=str(page.pk)
    ).filter(
        Q(pk=page.latest_revision_id)
        | Q(pk=page.live_revision_id)
        | Q(approved_go_live_at__isnull=False)
    )
    for revision in revisions:
        if revision.content.get("slug") == page.slug:
            revision.content["slug"] = new_slug
            if "url_path" in revision.content:
                revision.content["url_path"] = new_url_path
            revision.save(update_fields=["content"])


def ascii_slugs(apps, schema_editor):
    Page = apps.get_model("wagtailcore", "Page")
    Site = apps.get_model("wagtailcore", "Site")
    Revision = apps.get_model("wagtailcore", "Revision")
    Redirect = apps.get_model("wagtailredirects", "Redirect")

    # Parents first (tree order); the tree root's slug never shows in an address.
    pages = [
        page
        for page in Page.objects.filter(depth__gt=1).order_by("path")
        if not page.slug.isascii()
    ]
    if not pages:
        return
    before = _public_paths(Page, Site)
    for page in pages:
        _rename(Page, Revision, page)
    after = _public_paths(Page, Site)

    for page_id, old in before.items():
        for site_id, old_path in sorted(old - after.get(page_id, set())):
            if len(old_path) > REDIRECT_PATH_MAX_LENGTH:
                continue  # cannot be stored; the page itself is renamed all the same
            # The address was this page's, so it now leads to this page.
            Redirect.objects.update_or_create(
                old_path=old_path,
                site_id=site_id,
                defaults={
                    "redirect_page_id": page_id,
                    "redirect_page_route_path": "",
                    "redirect_link": "",
                    "is_permanent": True,
                    "automatically_created": True,
                },
            )


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailredirects", "0008_add_verbose_name_plural"),
    ]

    operations = [
        migrations.RunPython(ascii_slugs, migrations.RunPython.noop, elidable=True),
    ]
