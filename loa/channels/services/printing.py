"""Print materials: áp phích, tờ rơi, băng-rôn and pa-nô as print-ready PDFs.

Each kind has a fixed finished (trim) size and a bleed; the PDF page is the trim size
plus the bleed on every side, and WeasyPrint writes the TrimBox and BleedBox so a print
shop's RIP cuts in the right place:

| kind    | Vietnamese | finished size                        | bleed  | pages |
| ------- | ---------- | ------------------------------------ | ------ | ----- |
| poster  | áp phích   | A3 portrait, 297 × 420 mm            | 3 mm   | 1     |
| leaflet | tờ rơi     | A4 landscape tri-fold, 297 × 210 mm  | 3 mm   | 2     |
| banner  | băng-rôn   | 500 × 80 cm, full scale              | 20 mm  | 1     |
| panel   | pa-nô      | 120 × 240 cm portrait, full scale    | 20 mm  | 1     |

The banner is the common street size (5 m × 0.8 m) and the panel the common outdoor
frame (1.2 m × 2.4 m); both are laid out at full scale (a PDF page may be up to
200 inches, 5080 mm, on a side) so the shop prints them at 100 % without guessing a
ratio. Large formats get a wider bleed for the hem or the frame's wrap.

Text that does not fit is cut after the last whole sentence that fits, ending in "…";
the page count is checked after layout, so nothing ever runs onto a second sheet. Text
that fits with room to spare is set larger, step by step, until the next step would not
fit: a short article fills the sheet instead of leaving its lower half blank. The
article's lead picture (its "ảnh đại diện", else the first picture of its body) is
printed under the title (poster, panel) and on the leaflet's cover.
The banner's slogan is a single line: its size is computed from the font's advance
widths so that it fills the strip.

Fonts are Noto Sans and Noto Serif from Debian's fonts-noto-core (every Vietnamese
letter); rendering fetches nothing but data: URIs (the QR code).
"""

from __future__ import annotations

import base64
import dataclasses
import functools
import html
import logging
import re
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from django.template.loader import render_to_string
from django.utils.html import strip_tags

from loa.core.pdf import html_layout
from loa.core.qr import qr_data_uri

from ..models import Slogan

logger = logging.getLogger(__name__)

Kind = Literal["poster", "leaflet", "banner", "panel"]

ASSISTANT_PATH = "/tro-ly/"
CAPTION_ARTICLE = "Quét mã để đọc bài"
CAPTION_ASSISTANT = "Quét mã để hỏi trợ lý"
ELLIPSIS = "…"

ASSISTANT_TITLE = "Có thắc mắc? Hỏi trợ lý số của phường"
ASSISTANT_TEXT = (
    "Trợ lý số trả lời bằng tiếng Việt các câu hỏi về thủ tục hành chính, dịch vụ "
    "công trực tuyến, định danh điện tử VNeID và phong trào Bình dân học vụ số. "
    "Bà con hỏi bất cứ lúc nào, trên điện thoại hay máy tính, không cần cài đặt. "
    "Câu hỏi khó được chuyển tới cán bộ phường trả lời."
)

# How to use the printed QR: the back of a leaflet when the caller gives no steps.
DEFAULT_STEPS = (
    "Mở camera hoặc Zalo trên điện thoại, hướng vào mã QR.",
    "Chạm vào đường dẫn hiện ra để mở trang của phường.",
    "Đọc bài đầy đủ, hoặc gõ câu hỏi để trợ lý số trả lời.",
    "Cần giúp? Đến bộ phận một cửa hoặc hỏi tổ công nghệ số cộng đồng.",
)


@dataclass(frozen=True)
class Format:
    """Finished size and bleed of one kind of print material, in millimetres."""

    width_mm: float
    height_mm: float
    bleed_mm: float
    pages: int
    template: str
    root_pt: float = 12  # base font size; every other size is in rem
    margin_mm: float = 15  # side margin inside the trim
    footer_mm: float = 0  # bottom margin that holds the QR footer
    qr_mm: float = 40
    picture_mm: float = 0  # height of the article's picture (0: not printed)

    @property
    def media_pt(self) -> tuple[float, float]:
        """The PDF page (trim plus bleed on each side) in points."""
        to_pt = 72 / 25.4
        return (
            (self.width_mm + 2 * self.bleed_mm) * to_pt,
            (self.height_mm + 2 * self.bleed_mm) * to_pt,
        )


FORMATS: dict[str, Format] = {
    "poster": Format(
        297,
        420,
        3,
        1,
        "channels/print_poster.html",
        root_pt=15,
        margin_mm=20,
        footer_mm=92,
        qr_mm=64,
        picture_mm=90,
    ),
    # A4 landscape folded in three: page 1 is the outside (inside flap with the steps,
    # back cover with the QR code, front cover), page 2 the inside (the key points).
    "leaflet": Format(
        297,
        210,
        3,
        2,
        "channels/print_leaflet.html",
        root_pt=10.5,
        margin_mm=8,
        qr_mm=52,
        picture_mm=58,
    ),
    "banner": Format(
        5000,
        800,
        20,
        1,
        "channels/print_banner.html",
        root_pt=100,
        margin_mm=60,
        qr_mm=470,
    ),
    # The poster's layout at about four times the size (1200 / 297); the sheet is
    # taller for its width (1 : 2 against 1 : 1.41), so the picture takes the difference.
    "panel": Format(
        1200,
        2400,
        20,
        1,
        "channels/print_panel.html",
        root_pt=60,
        margin_mm=80,
        footer_mm=370,
        qr_mm=260,
        picture_mm=640,
    ),
}

# Banner geometry (mm), shared by the template and the slogan fitting below.
BANNER_MARGIN_MM = 60
BANNER_QR_COLUMN_MM = 620
BANNER_GAP_MM = 80
BANNER_SLOGAN_MAX_PT = 560
BANNER_SLOGAN_MIN_PT = 200

# Custom banner sizes (cm), `loa print banner --size WxH`: a PDF page may be up to
# 200 inches (5080 mm) on a side, bleed included, so the width stops at 500 cm.
BANNER_DEFAULT_CM = (500, 80)
BANNER_WIDTH_CM = (100, 500)
BANNER_HEIGHT_CM = (40, 200)

_SIZE = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*[x×X]\s*(\d+(?:[.,]\d+)?)\s*$")


def banner_size(value: str) -> tuple[float, float]:
    """Parse a banner size "WxH" in centimetres ("600x90"); ValueError in Vietnamese."""
    match = _SIZE.match(value or "")
    if not match:
        raise ValueError(
            f"Kích thước băng-rôn '{value}' không hợp lệ; "
            "ghi dạng RỘNGxCAO theo xăng-ti-mét, ví dụ 500x80."
        )
    width, height = (float(g.replace(",", ".")) for g in match.groups())
    if not BANNER_WIDTH_CM[0] <= width <= BANNER_WIDTH_CM[1]:
        raise ValueError(
            f"Chiều rộng băng-rôn phải từ {BANNER_WIDTH_CM[0]} đến "
            f"{BANNER_WIDTH_CM[1]} cm (tệp PDF tối đa khoảng 5 m mỗi cạnh)."
        )
    if not BANNER_HEIGHT_CM[0] <= height <= BANNER_HEIGHT_CM[1]:
        raise ValueError(
            f"Chiều cao băng-rôn phải từ {BANNER_HEIGHT_CM[0]} đến "
            f"{BANNER_HEIGHT_CM[1]} cm."
        )
    if width < 2 * height:
        raise ValueError("Băng-rôn phải dài ít nhất gấp đôi chiều cao.")
    return width, height


def banner_format(width_cm: float, height_cm: float) -> Format:
    """The banner format at a custom size: QR and type scale with the height."""
    base = FORMATS["banner"]
    scale = height_cm * 10 / base.height_mm
    return dataclasses.replace(
        base,
        width_mm=width_cm * 10,
        height_mm=height_cm * 10,
        root_pt=round(base.root_pt * scale, 1),
        qr_mm=round(base.qr_mm * scale, 1),
    )


_FONT_BOLD = Path("/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf")


# Text


_SENTENCE_END = re.compile(r"[.!?…]+[”\"’')\]»]*(?=\s)")


def sentences(text: str) -> list[str]:
    """Split plain text into sentences, keeping their punctuation.

    A sentence ends at . ! ? or … (with any closing quote or bracket) followed by a
    space and an upper-case letter, a digit or an opening quote or bracket; so
    "57-NQ/TW" or "3.5" never split, and neither does "TP. Hồ Chí Minh" unless the
    next word is capitalised — good enough for cutting, never for meaning.
    """
    text = " ".join(unicodedata.normalize("NFC", text).split())
    out, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        rest = text[match.end() :].lstrip()
        if rest and (rest[0].isupper() or rest[0].isdigit() or rest[0] in "“\"'(«["):
            out.append(text[start : match.end()].strip())
            start = match.end()
    tail = text[start:].strip()
    if tail:
        out.append(tail)
    return out


def paragraphs_cut(paragraphs: list[str], keep: int) -> list[str]:
    """Keep the first `keep` sentences across paragraphs; mark a cut with "…"."""
    split = [sentences(p) for p in paragraphs]
    total = sum(len(s) for s in split)
    if keep >= total:
        return [" ".join(s) for s in split if s]
    out: list[str] = []
    left = keep
    for parts in split:
        if left <= 0:
            break
        taken = parts[:left]
        left -= len(taken)
        out.append(" ".join(taken))
    if not out:
        return [ELLIPSIS]
    last = out[-1]
    out[-1] = (last[:-1] if last.endswith(".") else last + " ") + ELLIPSIS
    return out


def text_paragraphs(text: str) -> list[str]:
    """Split plain text into paragraphs at blank lines (or single newlines)."""
    text = unicodedata.normalize("NFC", text or "")
    return [" ".join(p.split()) for p in re.split(r"\n\s*\n|\n", text) if p.strip()]


def line_cut(text: str, max_chars: int) -> str:
    """Cut one line at a sentence, else at a word, so it has at most `max_chars`."""
    text = " ".join(text.split())
    if len(text) <= max_chars:
        return text
    kept = ""
    for sentence in sentences(text):
        candidate = f"{kept} {sentence}".strip()
        if len(candidate) + 1 > max_chars:
            break
        kept = candidate
    if not kept:
        kept = text[: max_chars - 1].rsplit(" ", 1)[0]
    kept = kept.rstrip(" ,;:–-")
    return (kept[:-1] if kept.endswith(".") else kept) + ELLIPSIS


@functools.cache
def _advances() -> tuple[dict[int, int], int, int]:
    from fontTools.ttLib import TTFont

    font = TTFont(_FONT_BOLD)
    cmap = font.getBestCmap()
    hmtx = font["hmtx"]
    widths = {code: hmtx[name][0] for code, name in cmap.items()}
    return widths, font["head"].unitsPerEm, hmtx[".notdef"][0]


def text_width_pt(text: str, size_pt: float) -> float:
    """Width of `text` set in Noto Sans Bold at `size_pt` (no kerning: a safe upper bound
    for Latin and Vietnamese, whose kerning only tightens)."""
    widths, upem, fallback = _advances()
    units = sum(
        widths.get(ord(ch), fallback) for ch in unicodedata.normalize("NFC", text)
    )
    return units * size_pt / upem


# Rendering


def _authority(ward_name: str) -> str:
    name = " ".join(unicodedata.normalize("NFC", ward_name).split())
    if name.lower().startswith("ủy ban nhân dân"):
        return name
    return f"Ủy ban nhân dân {name}"


def _portal_label(base_url: str) -> str:
    return re.sub(r"^https?://", "", base_url.rstrip("/"))


def _render(template: str, context: dict):
    return html_layout(render_to_string(template, context))


# How much larger than its base size the text may be set when it leaves room.
TEXT_SCALES = (1.0, 1.15, 1.3, 1.45, 1.6, 1.8)


def _fit(template: str, context: dict, *, pages: int, key: str, paragraphs: list[str]):
    """Render with as many sentences of `paragraphs` as fit in `pages` pages, the text
    as large as fits (`text_pt`, the base size times one of TEXT_SCALES).

    Each probe is one layout, and the count of pages after layout is the only overflow
    test WeasyPrint gives: when everything fits, the text grows one step at a time until
    the next step would overflow; when it does not, a binary search on the sentence
    count cuts it at the base size.
    """

    root_pt = context["fmt"].root_pt

    def render(parts: list[str], scale: float = 1.0):
        text_pt = round(root_pt * scale, 2)
        return _render(template, {**context, key: parts, "text_pt": text_pt})

    document = render(paragraphs)
    if len(document.pages) <= pages:
        for scale in TEXT_SCALES[1:]:
            probe = render(paragraphs, scale)
            if len(probe.pages) > pages:
                break
            document = probe
        return document
    total = sum(len(sentences(p)) for p in paragraphs)
    low, high, best = 0, total - 1, None
    while low <= high:
        mid = (low + high) // 2
        probe = render(paragraphs_cut(paragraphs, mid))
        if len(probe.pages) <= pages:
            best, low = probe, mid + 1
        else:
            high = mid - 1
    if best is None and context.get("picture"):
        # A title too long to leave room for the picture: the picture gives way.
        return _fit(
            template,
            {**context, "picture": ""},
            pages=pages,
            key=key,
            paragraphs=paragraphs,
        )
    if best is None:
        raise ValueError("Tiêu đề quá dài cho khổ in này.")
    return best


def print_pdf(
    *,
    kind: Kind,
    title: str,
    text: str,
    qr_url: str,
    ward_name: str,
    base_url: str,
    qr_caption: str = CAPTION_ARTICLE,
    steps: list[str] | tuple[str, ...] | None = None,
    size_cm: tuple[float, float] | None = None,
    picture: str = "",
    picture_alt: str = "",
) -> bytes:
    """Render one print material as a print-ready PDF and return its bytes.

    `text` is plain text, paragraphs separated by blank lines; what does not fit is cut
    at a sentence with "…". `ward_name` is the ward as written in documents ("phường
    Hải Dương") and is printed as its people's committee. `steps` fill the back of a
    leaflet (how to use the QR code when not given). `picture` is a data: URI
    (`picture_data_uri`), printed where the format has room for one.
    """
    if kind not in FORMATS:
        raise ValueError(f"Không có loại ấn phẩm {kind!r}.")
    fmt = FORMATS[kind]
    if size_cm is not None:
        if kind != "banner":
            raise ValueError("Chỉ băng-rôn mới đặt được kích thước.")
        fmt = banner_format(*size_cm)
    started = time.perf_counter()
    title = " ".join(unicodedata.normalize("NFC", title).split())
    paragraphs = text_paragraphs(text)
    context = {
        "kind": kind,
        "fmt": fmt,
        "title": title,
        "authority": _authority(ward_name),
        "qr": qr_data_uri(qr_url),
        "qr_url": qr_url,
        "qr_caption": qr_caption,
        "portal": _portal_label(base_url),
        "steps": list(steps or DEFAULT_STEPS),
        "picture": picture if fmt.picture_mm else "",
        "picture_alt": picture_alt or title,
        "assistant_url": _portal_label(base_url) + ASSISTANT_PATH,
        "text_pt": fmt.root_pt,
    }
    if kind == "banner":
        context.update(_banner_slogan(title, fmt))
        document = _render(fmt.template, context)
    else:
        document = _fit(
            fmt.template,
            context,
            pages=fmt.pages,
            key="paragraphs",
            paragraphs=paragraphs,
        )
    pdf = document.write_pdf()
    logger.info(
        "print %s: %d bytes in %.2f s", kind, len(pdf), time.perf_counter() - started
    )
    return pdf


def _banner_slogan(title: str, fmt: Format | None = None) -> dict:
    fmt = fmt or FORMATS["banner"]
    scale = fmt.height_mm / FORMATS["banner"].height_mm
    margin = round(BANNER_MARGIN_MM * scale, 1)
    qr_column = round(BANNER_QR_COLUMN_MM * scale, 1)
    gap = round(BANNER_GAP_MM * scale, 1)
    available_mm = fmt.width_mm - 2 * margin - qr_column - gap
    available_pt = available_mm * 72 / 25.4 * 0.97  # a little air for kerning/rounding
    max_pt, min_pt = BANNER_SLOGAN_MAX_PT * scale, BANNER_SLOGAN_MIN_PT * scale
    slogan = title
    size = available_pt * max_pt / text_width_pt(slogan, max_pt)
    if size < min_pt:
        # Longest line that still reads from across the street at the minimum size.
        max_chars = len(slogan)
        while max_chars > 8:
            max_chars -= 1
            slogan = line_cut(title, max_chars)
            if text_width_pt(slogan, min_pt) <= available_pt:
                break
        size = available_pt * max_pt / text_width_pt(slogan, max_pt)
    return {
        "slogan": slogan,
        "slogan_pt": round(min(size, max_pt), 1),
        "banner": {
            "margin": margin,
            "qr_column": qr_column,
            "gap": gap,
            "strip": round(fmt.height_mm - 2 * margin, 1),
        },
    }


# Sources


# Where one paragraph of rich text ends and the next begins: the end of a block element
# or a line break. Stripping the tags alone would run "quốc gia.</p><p>Người dân" into
# "quốc gia.Người dân".
_BLOCK_BREAK = re.compile(
    r"</(?:p|h[1-6]|li|blockquote|div|pre)\s*>|<(?:br|hr)\b[^>]*>", re.IGNORECASE
)


def rich_text_paragraphs(source: str) -> list[str]:
    """The paragraphs of a rich text's HTML as plain text, one per block element."""
    marked = _BLOCK_BREAK.sub("\n\n", source or "")
    out = []
    for part in re.split(r"\n\s*\n", marked):
        text = " ".join(html.unescape(strip_tags(part)).split())
        if text:
            out.append(unicodedata.normalize("NFC", text))
    return out


def article_paragraphs(page, *, limit: int | None = None) -> list[str]:
    """Return the plain text of the article's body paragraphs (and quotes), each
    paragraph of a rich-text block on its own; the first `limit` when given."""
    out: list[str] = []
    for block in page.body:
        if block.block_type == "paragraph":
            found = rich_text_paragraphs(block.value.source)
        elif block.block_type == "quote":
            text = " ".join(block.value["text"].split())
            found = [f"“{text}”"] if text else []
        else:
            continue
        out.extend(found)
        if limit is not None and len(out) >= limit:
            return out[:limit]
    return out


# The longest side of the picture handed to WeasyPrint: about 200 dpi across a poster,
# plenty for a pa-nô seen from a few metres.
PICTURE_MAX_PX = 2400


def article_picture(page):
    """The article's lead picture (its "ảnh đại diện", else the first picture of its
    body) and the picture's description, or (None, "")."""
    if page.image_id:
        return page.image, page.image_alt
    for block in page.body:
        if block.block_type == "image" and block.value.get("image"):
            return block.value["image"], block.value.get("alt", "")
    return None, ""


def picture_data_uri(image) -> str:
    """A Wagtail image as a JPEG data: URI at most PICTURE_MAX_PX on its longest side
    ("" when its file cannot be read: the material prints without it)."""
    try:
        rendition = image.get_rendition(
            f"max-{PICTURE_MAX_PX}x{PICTURE_MAX_PX}|format-jpeg|jpegquality-85"
        )
        with rendition.file.open("rb") as handle:
            data = handle.read()
    except (OSError, ValueError) as error:
        logger.warning("print: picture %s not readable: %s", image.pk, error)
        return ""
    return "data:image/jpeg;base64," + base64.b64encode(data).decode()


def article_url(page, *, base_url: str | None = None, ward=None) -> str:
    """The article's absolute address: on `base_url` when given, else on its ward's."""
    from loa.content.wards import page_public_url

    if base_url:
        _, _, path = page.get_url_parts()
        return base_url.rstrip("/") + path
    return page_public_url(page, ward=ward)


def _print_ward(ward=None, *, page=None):
    """The ward a material is printed for: the one given, the article's, or the only
    active ward; every address on the material starts with its public address."""
    if ward is not None:
        return ward
    if page is not None:
        from loa.content.wards import ward_for_page

        ward = ward_for_page(page)
    else:
        from loa.core.selectors import ward_for_public

        ward = ward_for_public(None)
    if ward is None:
        raise ValueError("Không xác định được phường; hãy chỉ rõ phường.")
    return ward


def print_from_article(
    *,
    page,
    kind: Kind,
    ward=None,
    base_url: str | None = None,
    ward_name: str | None = None,
    to_assistant: bool = False,
    size_cm: tuple[float, float] | None = None,
) -> bytes:
    """Render an article (title, sa pô, first paragraphs) with a QR to its address.

    Addresses start with `base_url` when given, else with the ward's public address
    (`ward`, by default the article's). With `to_assistant` the QR leads to the
    assistant instead of the article.
    """
    page = page.specific
    ward = _print_ward(ward, page=page)
    root = (base_url or ward.public_url).rstrip("/")
    if to_assistant:
        qr_url, caption = root + ASSISTANT_PATH, CAPTION_ASSISTANT
    else:
        qr_url = article_url(page, base_url=base_url, ward=ward)
        caption = CAPTION_ARTICLE
    text = "\n\n".join([page.sapo, *article_paragraphs(page)])
    image, alt = article_picture(page)
    picture = picture_data_uri(image) if image and FORMATS[kind].picture_mm else ""
    return print_pdf(
        kind=kind,
        title=page.title,
        text=text,
        qr_url=qr_url,
        ward_name=ward_name or ward.display_name,
        base_url=root,
        qr_caption=caption,
        size_cm=size_cm,
        picture=picture,
        picture_alt=alt,
    )


def print_for_assistant(
    *,
    kind: Kind,
    ward=None,
    base_url: str | None = None,
    ward_name: str | None = None,
    page=None,
) -> bytes:
    """Render a material whose QR leads to the assistant (`/tro-ly/`).

    From an article when `page` is given, else the standing "ask the assistant" text;
    on `base_url` when given, else on the ward's public address (`ward`, by default the
    only active ward).
    """
    if page is not None:
        return print_from_article(
            page=page,
            kind=kind,
            ward=ward,
            base_url=base_url,
            ward_name=ward_name,
            to_assistant=True,
        )
    ward = _print_ward(ward)
    root = (base_url or ward.public_url).rstrip("/")
    return print_pdf(
        kind=kind,
        title=ASSISTANT_TITLE,
        text=ASSISTANT_TEXT,
        qr_url=root + ASSISTANT_PATH,
        ward_name=ward_name or ward.display_name,
        base_url=root,
        qr_caption=CAPTION_ASSISTANT,
    )


def print_slogan(
    *,
    slogan: Slogan,
    ward=None,
    base_url: str | None = None,
    ward_name: str | None = None,
    size_cm: tuple[float, float] | None = None,
) -> bytes:
    """Print an approved slogan as a băng-rôn, its QR leading to the assistant.

    The QR is on `base_url` when given, else on the ward's public address (`ward`, by
    default the slogan's ward, else the only active ward).
    """
    if not slogan.is_approved:
        raise ValueError("Khẩu hiệu chưa được duyệt")
    ward = _print_ward(ward or slogan.ward)
    root = (base_url or ward.public_url).rstrip("/")
    return print_pdf(
        kind="banner",
        title=slogan.text,
        text="",
        qr_url=root + ASSISTANT_PATH,
        ward_name=ward_name or ward.display_name,
        base_url=root,
        qr_caption=CAPTION_ASSISTANT,
        size_cm=size_cm,
    )


# The print desk (staff screen "Ấn phẩm")

KIND_LABELS = {
    "poster": "Áp phích A3",
    "leaflet": "Tờ rơi A4 gấp ba",
    "banner": "Băng-rôn 500 × 80 cm",
    "panel": "Pa-nô 120 × 240 cm",
}
# File names stay ASCII so every browser and print shop reads them.
KIND_FILES = {
    "poster": "ap-phich",
    "leaflet": "to-roi",
    "banner": "bang-ron",
    "panel": "pa-no",
}
SLOGAN_KINDS = ("banner",)


def ward_articles(ward):
    """The ward's published articles, newest first: the only ones its desk prints."""
    from loa.content.models import ArticlePage
    from loa.content.selectors import site_pages

    return site_pages(ArticlePage, ward.site).order_by("-first_published_at", "-pk")


@dataclass(frozen=True)
class Printed:
    pdf: bytes
    filename: str


def desk_print(
    *,
    ward,
    kind: str,
    article_id: int | None = None,
    slogan_id: int | None = None,
    to_assistant: bool = False,
) -> Printed:
    """Print one of the ward's published articles or approved slogans.

    Anything that is not the ward's (another ward's article or slogan, a draft, a slogan
    waiting for approval) raises ObjectDoesNotExist: nothing is produced. A slogan
    prints only as a băng-rôn (ValueError otherwise).
    """
    from .slogans import approved_slogans

    if kind not in FORMATS:
        raise ValueError(f"Không có loại ấn phẩm {kind!r}.")
    if (article_id is None) == (slogan_id is None):
        raise ValueError("Hãy chọn một tin bài hoặc một khẩu hiệu.")
    if slogan_id is not None:
        slogan = approved_slogans(ward).get(pk=slogan_id)
        if kind not in SLOGAN_KINDS:
            raise ValueError("Khẩu hiệu chỉ in thành băng-rôn.")
        pdf = print_slogan(slogan=slogan, ward=ward)
        return Printed(pdf, f"{KIND_FILES[kind]}-khau-hieu-{slogan.pk}.pdf")
    page = ward_articles(ward).get(pk=article_id)
    pdf = print_from_article(page=page, kind=kind, ward=ward, to_assistant=to_assistant)
    slug = re.sub(r"[^a-z0-9-]+", "-", page.slug.lower()).strip("-")[:60] or "bai"
    return Printed(pdf, f"{KIND_FILES[kind]}-{slug}.pdf")
