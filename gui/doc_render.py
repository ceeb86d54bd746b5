"""A forms.documents `Doc` on the window's printer and in its print preview: the pages of our own PDF.

There is one layout: forms.documents.pdf_writer lays the document out (the layout the 2-page check
measures and the export writes), and the window draws those very pages, rasterised by PDFium
(pypdfium2), on the printer or the preview. So what the check passes prints on 2 pages, with the
mirrored margins of the back pages, the page numbers, and each table closed at a page break.
"""

from __future__ import annotations

import pypdfium2 as pdfium
from PySide6.QtCore import QRectF, QSizeF
from PySide6.QtGui import QImage, QPainter
from PySide6.QtPrintSupport import QPrinter

from forms.documents import pdf_writer
from forms.documents.model import Doc

MAX_DPI = 300  # enough for 12-pt type; a 1200-dpi A4 page would take half a gigabyte of memory


class RenderedDoc:
    """A document laid out once as PDF, with its page count and its pages as images."""

    def __init__(self, model: Doc) -> None:
        self.title = model.title
        self.page = model.page
        self.data, self.pages = pdf_writer.render(model)
        self._pdf = pdfium.PdfDocument(self.data)

    def page_count(self) -> int:
        return self.pages

    def page_size_pt(self) -> QSizeF:
        return QSizeF(self.page.width, self.page.height)

    def page_text(self, index: int) -> list[str]:
        """The lines of page `index` as printed (PDFium's reading of the PDF's text)."""
        text = self._pdf[index].get_textpage().get_text_range()
        return [line for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n") if line.strip()]

    def text(self) -> str:
        """Every page's text with the line breaks taken out, to look for a paragraph in."""
        return "".join("".join(self.page_text(index)) for index in range(self.pages))

    def image(self, index: int, dpi: float) -> QImage:
        """Page `index` (0-based) as a grey image at `dpi` dots per inch."""
        bitmap = self._pdf[index].render(scale=dpi / 72, grayscale=True)
        image = QImage(bytes(bitmap.buffer), bitmap.width, bitmap.height, bitmap.stride,
                       QImage.Format.Format_Grayscale8)
        return image.copy()  # owns its pixels once the bitmap goes

    def page_range(self, printer: QPrinter) -> range:
        """The pages the print dialog chose (all of them unless a range was given)."""
        first, last = printer.fromPage(), printer.toPage()
        if first <= 0 or last <= 0:
            return range(self.pages)
        return range(max(first, 1) - 1, min(last, self.pages))

    def print_(self, printer: QPrinter) -> None:
        """Every chosen page on the printer's whole sheet (the PDF brings its own margins)."""
        painter = QPainter()
        if not painter.begin(printer):
            return
        dpi = min(printer.resolution(), MAX_DPI)
        sheet = QRectF(printer.pageLayout().fullRectPixels(printer.resolution()))
        for count, index in enumerate(self.page_range(printer)):
            if count:
                printer.newPage()
            painter.drawImage(sheet, self.image(index, dpi))
        painter.end()


def render(model: Doc) -> RenderedDoc:
    """The document laid out on its page (A4) as the export's PDF has it."""
    return RenderedDoc(model)
