"""QR codes of ticket payloads, as SVG (pages, PDF) and PNG (e-mail, apps).

Error correction level M survives a scratched print or a dim phone screen
while keeping the modules of a ~60-character payload large.
"""

import io

import qrcode
import qrcode.constants
from qrcode.image.svg import SvgPathImage


def _qr(payload: str, *, border: int) -> qrcode.QRCode:
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=border)
    qr.add_data(payload)
    qr.make(fit=True)
    return qr


def qr_svg(payload: str, *, border: int = 4) -> str:
    """The QR code as a standalone, scalable ``<svg>`` element (no XML prolog)."""
    image = _qr(payload, border=border).make_image(image_factory=SvgPathImage)
    svg = image.to_string(encoding="unicode")
    if svg.startswith("<?xml"):
        svg = svg.split("?>", 1)[1].lstrip()
    return svg


def qr_png(payload: str, *, box_size: int = 10, border: int = 4) -> bytes:
    """The QR code as a black-on-white PNG, ``box_size`` pixels per module."""
    qr = _qr(payload, border=border)
    qr.box_size = box_size
    buffer = io.BytesIO()
    qr.make_image(fill_color="black", back_color="white").save(buffer, format="PNG")
    return buffer.getvalue()
