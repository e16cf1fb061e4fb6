"""Images: refuse a pixel bomb, then re-encode upright without metadata."""

from __future__ import annotations

import io

from .errors import UploadError

# Wagtail's default is 128 million; a phone photo has 12-50 million pixels, and 50 million
# RGBA pixels already take 200 MB to decode on a ward's modest server.
DEFAULT_MAX_IMAGE_PIXELS = 50_000_000


def max_image_pixels() -> int:
    """WAGTAILIMAGES_MAX_IMAGE_PIXELS when set, else a limit fit for a modest server."""
    from django.conf import settings
    from PIL import Image

    try:
        value = getattr(
            settings, "WAGTAILIMAGES_MAX_IMAGE_PIXELS", DEFAULT_MAX_IMAGE_PIXELS
        )
    except Exception:  # noqa: BLE001 - settings not configured
        value = DEFAULT_MAX_IMAGE_PIXELS
    return (
        int(value) if value else int(Image.MAX_IMAGE_PIXELS or DEFAULT_MAX_IMAGE_PIXELS)
    )


def too_many_pixels(limit: int) -> UploadError:
    count = f"{limit:,}".replace(",", ".")
    return UploadError(
        f"Ảnh có quá nhiều điểm ảnh (tối đa {count} điểm ảnh, nghi là bom giải nén); "
        "hãy thu nhỏ ảnh rồi tải lên lại.",
        code="too_many_pixels",
    )


def _not_an_image() -> UploadError:
    return UploadError(
        "Tệp không phải ảnh hợp lệ hoặc đã bị hỏng; hãy chọn ảnh JPEG, PNG, WebP hoặc GIF.",
        code="invalid_image",
    )


def image_check_pixels(data: bytes, *, max_pixels: int | None = None) -> str:
    """Read only an image's header; refuse a decompression bomb. Returns Pillow's format."""
    from PIL import Image

    limit = max_pixels or max_image_pixels()
    try:
        with Image.open(io.BytesIO(data)) as probe:
            width, height = probe.size
            if width * height > limit:
                raise too_many_pixels(limit)
            frames = getattr(probe, "n_frames", 1) or 1
            if width * height * frames > limit:
                raise too_many_pixels(limit)
            return probe.format or ""
    except UploadError:
        raise
    except Image.DecompressionBombError as exc:
        raise too_many_pixels(limit) from exc
    except Exception as exc:  # noqa: BLE001 - damaged images make Pillow raise anything
        raise _not_an_image() from exc


_KEEP_INFO = ("transparency", "duration", "loop", "background")


def image_reencode(data: bytes, *, max_pixels: int | None = None) -> tuple[bytes, str]:
    """Verify an image, turn it upright and save it again in its format without metadata.

    Returns (bytes, Pillow format). EXIF (with any GPS position), XMP, comments and text
    chunks are dropped; the colour profile, transparency and animation timing are kept.
    A JPEG that needs no turning keeps its own quantisation tables (quality "keep").
    """
    from PIL import Image, ImageOps, ImageSequence

    fmt = image_check_pixels(data, max_pixels=max_pixels)
    Image.init()
    if fmt not in {"JPEG", "PNG", "GIF", "WEBP", "AVIF"} or fmt not in Image.SAVE:
        raise _not_an_image()
    try:
        with Image.open(io.BytesIO(data)) as probe:
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            icc = image.info.get("icc_profile")
            params: dict = {"icc_profile": icc} if icc else {}
            frames = getattr(image, "n_frames", 1) or 1
            if frames > 1:
                out = _reencode_frames(image, fmt, params, ImageSequence)
            else:
                out = _reencode_single(image, fmt, params, ImageOps)
    except UploadError:
        raise
    except Image.DecompressionBombError as exc:
        raise too_many_pixels(max_pixels or max_image_pixels()) from exc
    except Exception as exc:  # noqa: BLE001 - damaged images make Pillow raise anything
        raise _not_an_image() from exc
    return out, fmt


def _reencode_single(image, fmt: str, params: dict, image_ops) -> bytes:
    orientation = image.getexif().get(0x0112, 1)
    kept = {key: image.info[key] for key in _KEEP_INFO if key in image.info}
    if fmt == "JPEG" and orientation in (None, 1):
        upright = image
        params.update(quality="keep", subsampling="keep")
    else:
        upright = image_ops.exif_transpose(image)
        if fmt in ("JPEG", "WEBP", "AVIF"):
            params["quality"] = 90
    if fmt == "PNG" and "transparency" in kept:
        params["transparency"] = kept["transparency"]
    if fmt == "GIF":
        params.update({k: v for k, v in kept.items() if k != "duration"})
    upright.info = {}  # Pillow would copy a JPEG comment or PNG text from here
    out = io.BytesIO()
    upright.save(out, fmt, **params)
    return out.getvalue()


def _reencode_frames(image, fmt: str, params: dict, image_sequence) -> bytes:
    frames, durations = [], []
    for frame in image_sequence.Iterator(image):
        durations.append(frame.info.get("duration", 100))
        copy = frame.copy()
        copy.info = {}
        frames.append(copy)
    params.update(save_all=True, append_images=frames[1:], duration=durations)
    if "loop" in image.info:
        params["loop"] = image.info["loop"]
    if fmt == "GIF" and "transparency" in image.info:
        params["transparency"] = image.info["transparency"]
    if fmt in ("WEBP", "AVIF"):
        params["quality"] = 90
    out = io.BytesIO()
    frames[0].save(out, fmt, **params)
    return out.getvalue()
