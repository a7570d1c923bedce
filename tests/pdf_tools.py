"""Read rendered PDFs back the way a person would: rasterised by poppler and
scanned by a real QR decoder (zxing-cpp), or as extracted text."""

import shutil
import subprocess

import PIL.Image
import pytest
import zxingcpp

needs_poppler = pytest.mark.skipif(
    shutil.which("pdftoppm") is None, reason="poppler-utils (pdftoppm) is not installed"
)


def decode_pdf_qr(pdf: bytes, tmp_path) -> list[str]:
    """The texts of every QR code on the first page of ``pdf``, at 150 dpi."""
    (tmp_path / "scan.pdf").write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", "150", "-png", "-f", "1", "-l", "1", "scan.pdf", "page"],
        cwd=tmp_path,
        check=True,
    )
    (png,) = tmp_path.glob("page*.png")
    return [result.text for result in zxingcpp.read_barcodes(PIL.Image.open(png))]
