"""ASCII page slugs: Vietnamese folded, so a shared link stays readable.

A slug in Vietnamese letters travels as percent escapes ("c%E1%BA%A3nh-gi%C3%A1c...",
hundreds of characters once pasted into Zalo or a text message); folded, it is
"canh-giac-...". Wagtail's own ASCII fallback (Django's `slugify`) drops "đ" and every
letter it cannot decompose, so the portal folds with `loa.vn.fold` instead.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable
from functools import cache

from django.db import transaction
from django.db.models import Q
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page, Site

from loa.vn import fold

from .cache import content_version_bump

logger = logging.getLogger(__name__)

SLUG_MAX_LENGTH = 80
# The slug of a page whose title has no letter or digit to keep ("???").
FALLBACK_SLUG = "trang"
# Redirect.old_path is a CharField(max_length=255).
REDIRECT_PATH_MAX_LENGTH = 255

_NOT_ALNUM_RE = re.compile(r"[^a-z0-9]+")
# Where the letters with diacritics live: Latin-1, Latin Extended-A and -B (ă, đ, ơ,
# ư), and Latin Extended Additional (ả, ạ, ấ, ... ỹ).
_LATIN_RANGES = ((0x00C0, 0x024F), (0x1E00, 0x1EFF))


def _cut(slug: str, max_length: int) -> str:
    if len(slug) <= max_length:
        return slug
    head = slug[: max_length + 1]
    boundary = head.rfind("-")
    if boundary > 0:
        return slug[:boundary].rstrip("-")
    # One word longer than the limit: cut inside it rather than give nothing back.
    return slug[:max_length].rstrip("-")


def ascii_slug(text: str, max_length: int = SLUG_MAX_LENGTH) -> str:
    """Return a lowercase ASCII slug of the text: diacritics folded, words joined by "-".

    A slug longer than `max_length` is cut at the last word boundary that fits.
    """
    # NFKC first so full-width letters and ligatures ("ﬁ") count as the letters they are.
    folded = fold(unicodedata.normalize("NFKC", text)).lower()
    return _cut(_NOT_ALNUM_RE.sub("-", folded).strip("-"), max_length)


def slug_with_suffix(
    base: str,
    is_taken: Callable[[str], bool],
    max_length: int = SLUG_MAX_LENGTH,
) -> str:
    """Return `base`, or `base-2`, `base-3` ... : the first one not taken."""
    candidate, number = base, 1
    while is_taken(candidate):
        number += 1
        suffix = f"-{number}"
        candidate = _cut(base, max_length - len(suffix)) + suffix
    return candidate


def _sibling_slug_taken(
    parent: Page | None, page: Page | None
) -> Callable[[str], bool]:
    if parent is None:
        return lambda slug: False
    siblings = parent.get_children()
    if page is not None and page.pk is not None:
        siblings = siblings.exclude(pk=page.pk)
    return lambda slug: siblings.filter(slug=slug).exists()


def slug_for_new_page(
    title: str, *, parent: Page | None = None, page: Page | None = None
) -> str:
    """Return the ASCII slug a page with this title gets under `parent`.

    Without a parent the slug is not checked against siblings; `page` is left out of
    the check (a page being edited does not collide with itself).
    """
    base = ascii_slug(title) or FALLBACK_SLUG
    return slug_with_suffix(base, _sibling_slug_taken(parent, page))


@cache
def slug_input_formatters() -> tuple[tuple[str, str], ...]:
    """Return `SlugInput(formatters=...)` rules that fold Vietnamese in the admin.

    Without them Wagtail's slug script, with unicode slugs off, keeps only the letters
    of its own transliteration table: "Cảnh giác cuộc gọi" becomes "cnh-giac-cuc-gi"
    and "đ" becomes "dj". Built from `loa.vn.fold`, so the admin folds the same way.
    """
    groups: dict[str, list[str]] = defaultdict(list)
    for first, last in _LATIN_RANGES:
        for code in range(first, last + 1):
            letter = chr(code)
            folded = fold(letter)
            if folded != letter and folded.isascii() and folded.isalpha():
                groups[folded].append(letter)
    return tuple(
        (f"[{''.join(letters)}]", target) for target, letters in sorted(groups.items())
    )


# --- Renaming a page that already has a Vietnamese slug -----------------------------


def _public_paths(pages) -> dict[int, set[tuple[int, str]]]:
    """(site id, normalised path) of each page, for every site that routes it."""
    root_paths = Site.get_site_root_paths()
    paths: dict[int, set[tuple[int, str]]] = defaultdict(set)
    for page_id, url_path in pages.values_list("pk", "url_path"):
        for root in root_paths:
            if url_path.startswith(root.root_path):
                path = url_path[len(root.root_path) - 1 :]
                paths[page_id].add((root.site_id, Redirect.normalise_path(path)))
    return paths


def _redirects_create(
    before: dict[int, set[tuple[int, str]]], after: dict[int, set[tuple[int, str]]]
) -> None:
    for page_id, old in before.items():
        for site_id, old_path in sorted(old - after.get(page_id, set())):
            if len(old_path) > REDIRECT_PATH_MAX_LENGTH:
                logger.warning(
                    "No redirect for page %s: old path longer than %s characters",
                    page_id,
                    REDIRECT_PATH_MAX_LENGTH,
                )
                continue
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


def _revisions_follow(page: Page, *, old_slug: str) -> None:
    # The edit form starts from the latest revision and a publish writes a revision's
    # slug back to the page: a revision still holding the old slug would undo this.
    # Older history is left as it was.
    revisions = page.revisions.filter(
        Q(pk=page.latest_revision_id)
        | Q(pk=page.live_revision_id)
        | Q(approved_go_live_at__isnull=False)
    )
    for revision in revisions:
        if revision.content.get("slug") != old_slug:
            continue  # a draft with a slug of its own: the editor's choice
        revision.content["slug"] = page.slug
        if "url_path" in revision.content:
            revision.content["url_path"] = page.url_path
        revision.save(update_fields=["content"])


@transaction.atomic
def page_slug_asciify(*, page: Page) -> bool:
    """Give the page an ASCII slug and redirect its old addresses there permanently.

    The page's subpages move with it, so their old addresses are redirected too.
    Nothing is published and no revision is made. Return False, changing nothing,
    when the slug is ASCII already.
    """
    page = page.specific
    old_slug = page.slug
    if old_slug.isascii():
        return False
    base = ascii_slug(old_slug) or ascii_slug(page.title) or FALLBACK_SLUG
    page.slug = slug_with_suffix(base, _sibling_slug_taken(page.get_parent(), page))

    subtree = Page.objects.descendant_of(page, inclusive=True)
    before = _public_paths(subtree)
    # Only slug and url_path are written: the live content stays as it is, and Wagtail
    # moves the subpages' url_path along. A minimal clean (clean=False), so an old page
    # that no longer passes today's field rules can still be renamed.
    page.save(clean=False, update_fields=["slug", "url_path"])
    _revisions_follow(page, old_slug=old_slug)
    _redirects_create(before, _public_paths(subtree))

    # Cached pages link to the old addresses; now for this transaction, after commit
    # for requests that rendered meanwhile.
    content_version_bump()
    transaction.on_commit(content_version_bump)
    return True
