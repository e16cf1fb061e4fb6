"""QR codes printed on certificates, handouts, posters and leaflets."""

import base64
import io

import qrcode
import qrcode.image.svg


def qr_data_uri(data: str) -> str:
    """Encode `data` as a QR code and return it as an SVG data: URI.

    SVG keeps the modules sharp at any print size and needs no image library; medium
    error correction survives a creased or slightly smudged paper copy.
    """
    qr = qrcode.QRCode(
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        border=2,
        image_factory=qrcode.image.svg.SvgPathFillImage,
    )
    qr.add_data(data)
    qr.make(fit=True)
    buffer = io.BytesIO()
    qr.make_image().save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


def qr_svg(data: str) -> str:
    """The QR code as an inline <svg> element, for a page shown on screen."""
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, border=2)
    return image.to_string(encoding="unicode")
