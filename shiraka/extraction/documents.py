"""Reading a press text from what a person hands over: bytes from a file or standard input, a pasted
text, an uploaded .txt, .docx or .pdf. Everything that is refused is refused here, with one key per
reason, so the command line and the web refuse the same inputs for the same reasons.

Pure Python. defusedxml and pypdf are imported only when a .docx or a .pdf is read, so the command
line runs on the standard library alone.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import PurePath
from typing import BinaryIO

from .lang import detect_language

# 1 MiB: the archive stores excerpts of about 2 kB, so anything this big is not an article.
MAX_BYTES = 1_048_576
MAX_FILE_BYTES = 10 * 1024 * 1024  # a .docx or .pdf; its text is then capped at MAX_BYTES
MAX_DOCX_XML_BYTES = 20 * 1024 * 1024  # uncompressed word/document.xml
MAX_PDF_PAGES = 200
# What a person may hand to the review page: 50,000 characters, some twenty press articles. The
# review shows every value read with its form rows; past this, one view takes seconds.
MAX_TEXT_CHARS = 50_000
FILE_TYPES = (".txt", ".docx", ".pdf")

# Every refusal, in English. The command line prints them as they are; the web shows its own
# translated sentence for each key (shiraka/web/extract/forms.py), since a reader of the page is
# told what to do there (paste, choose a file) rather than what the program saw.
REFUSALS = {
    "missing": "file not found: {path}",
    "unreadable": "cannot read {path}: {reason}",
    "too_large": "input is larger than 1 MiB (1,048,576 bytes); refusing to read it",
    "file_too_large": "file is larger than 10 MiB (10,485,760 bytes); refusing to read it",
    "binary": "input looks binary (NUL bytes), not text",
    "encoding": "input is not valid UTF-8 text",
    "empty": "input is empty",
    "too_long": "text is longer than 50,000 characters; paste one article",
    "language": "text is neither Arabic nor French; nothing extracted",
    "both": "give either a text or a file, not both",
    "type": "only .txt, .docx and .pdf files can be read",
    "docx": "the .docx file cannot be read (damaged, or not a Word document)",
    "pdf_unavailable": "PDF files cannot be read here: pypdf is not installed",
    "pdf": "the PDF has no readable text layer (scanned, encrypted or damaged)",
}


class Refusal(Exception):
    """Why an input is not read; `key` names the reason in REFUSALS."""

    def __init__(self, key: str, **values: object) -> None:
        self.key = key
        self.values = values
        super().__init__(REFUSALS[key].format(**values))


# --- text ----------------------------------------------------------------------------------------


def decoded(data: bytes) -> str:
    if len(data) > MAX_BYTES:
        raise Refusal("too_large")
    if b"\x00" in data:
        raise Refusal("binary")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Refusal("encoding") from None


def checked(text: str) -> str:
    """The text itself, once it is a str: no NUL, at most MAX_BYTES, not blank, Arabic or French."""
    if "\x00" in text:
        raise Refusal("binary")
    if len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise Refusal("too_large")
    if not text.strip():
        raise Refusal("empty")
    if detect_language(text) is None:
        raise Refusal("language")
    return text


def document_text(text: str = "", upload=None) -> str:
    """A pasted text or an uploaded file (anything with `name`, `size` and `read`), never both,
    read and checked. Line ends become \\n: browsers send pasted text with \\r\\n."""
    if upload is not None and text.strip():
        raise Refusal("both")
    if upload is not None:
        text = file_text(upload.name or "", upload, size=upload.size)
    text = checked(text.replace("\r\n", "\n").replace("\r", "\n"))
    if len(text) > MAX_TEXT_CHARS:
        raise Refusal("too_long")
    return text


# --- files ---------------------------------------------------------------------------------------


def file_text(name: str, stream: BinaryIO, *, size: int | None = None) -> str:
    """The text of a .txt, .docx or .pdf file, read from `stream` (never more than its limit)."""
    suffix = PurePath(name).suffix.lower()
    if suffix not in FILE_TYPES:
        raise Refusal("type")
    limit, refusal = (MAX_BYTES, "too_large") if suffix == ".txt" else (MAX_FILE_BYTES, "file_too_large")
    if size is not None and size > limit:
        raise Refusal(refusal)
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise Refusal(refusal)
    if suffix == ".txt":
        return decoded(data)
    if suffix == ".docx":
        if not data.startswith(b"PK\x03\x04"):
            raise Refusal("docx")
        return docx_text(data)
    if not data.startswith(b"%PDF-"):
        raise Refusal("pdf")
    return pdf_text(data)


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _docx_xml(data: bytes) -> bytes:
    """word/document.xml, its uncompressed size checked before and while it is inflated."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        info = archive.getinfo("word/document.xml")
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise Refusal("docx") from None
    if info.file_size > MAX_DOCX_XML_BYTES:
        raise Refusal("too_large")
    try:
        with archive.open(info) as stream:
            xml = stream.read(MAX_DOCX_XML_BYTES + 1)  # the header may lie: never read more
    except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError, EOFError):
        raise Refusal("docx") from None
    if len(xml) > MAX_DOCX_XML_BYTES:
        raise Refusal("too_large")
    return xml


def _paragraph_text(paragraph) -> str:
    parts = []
    for node in paragraph.iter():
        if node.tag == f"{_W}t" and node.text:
            parts.append(node.text)
        elif node.tag == f"{_W}tab":
            parts.append("\t")
        elif node.tag in (f"{_W}br", f"{_W}cr"):
            parts.append("\n")
    return "".join(parts)


def docx_text(data: bytes) -> str:
    """The paragraphs of a .docx. The XML is parsed by defusedxml: no entities, no DTD."""
    from defusedxml import ElementTree as SafeET  # noqa: PLC0415 - only when a .docx is read

    xml = _docx_xml(data)
    try:
        root = SafeET.fromstring(xml)
    except Exception:  # ParseError and defusedxml's refusals (DTD, entities)
        raise Refusal("docx") from None
    paragraphs, size = [], 0
    for paragraph in root.iter(f"{_W}p"):
        line = _paragraph_text(paragraph)
        size += len(line.encode("utf-8")) + 1
        if size > MAX_BYTES:
            raise Refusal("too_large")
        paragraphs.append(line)
    return "\n".join(paragraphs)


def pdf_text(data: bytes) -> str:
    """The text layer of a PDF, through pypdf, of its first MAX_PDF_PAGES pages."""
    try:
        import pypdf  # noqa: PLC0415 - only when a .pdf is read
    except ImportError:
        raise Refusal("pdf_unavailable") from None
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise Refusal("pdf")
        pages, size = [], 0
        for page in list(reader.pages)[:MAX_PDF_PAGES]:
            text = page.extract_text() or ""
            size += len(text.encode("utf-8", "surrogatepass"))
            if size > MAX_BYTES:
                raise Refusal("too_large")
            pages.append(text)
    except Refusal:
        raise
    except Exception:  # pypdf raises many kinds of errors on damaged files
        raise Refusal("pdf") from None
    text = "\n".join(pages)
    if not text.strip():
        raise Refusal("pdf")
    return text
