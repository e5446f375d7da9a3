"""What a fetched body really is, by its first bytes: a site answering a missing file with its HTML error
page (status 200, under the file's name) must not be saved as the report."""

from __future__ import annotations

from pathlib import PurePosixPath

ATTACHMENT_SUFFIXES = (".pdf", ".docx", ".doc", ".wps", ".rtf", ".odt", ".ofd")
_EXPECTED = {".pdf": "pdf", ".docx": "zip", ".ofd": "ofd", ".doc": "ole", ".wps": "ole", ".rtf": "rtf", ".odt": "odt"}
_NAMES = {
    "pdf": " PDF 文件",
    "zip": " Word 文件",
    "ofd": " OFD 文件",
    "ole": " Word 或 WPS 文件",
    "rtf": " RTF 文件",
    "odt": " OpenDocument 文件",
}
SUFFIX_OF = {"pdf": ".pdf", "zip": ".docx", "ofd": ".ofd", "ole": ".doc", "rtf": ".rtf", "odt": ".odt", "html": ".html"}


def kind_of(data: bytes) -> str:
    """pdf | zip (.docx) | ofd | odt | ole (.doc, .wps) | rtf | html | other."""
    head = data[:1024]
    if b"%PDF-" in head:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        if b"OFD.xml" in data[:4096]:  # an OFD's first entry is its OFD.xml
            return "ofd"
        # an OpenDocument's first entry is its uncompressed mimetype
        return "odt" if b"application/vnd.oasis.opendocument.text" in head else "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    if head.startswith(b"{\\rtf"):
        return "rtf"
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<meta", b"<?xml", b"<!--")) or (
        b"<html" in text or b"<body" in text
    ):
        return "html"
    return "other"


def suffix_of(name: str) -> str:
    return PurePosixPath(name.split("?", 1)[0]).suffix.lower()


def mismatch(name: str, data: bytes) -> str | None:
    """Why `data` cannot be the file `name` says it is, or None. Only an HTML page under a file's name is
    refused: any other surprise is saved and the run says what it is."""
    expected = _EXPECTED.get(suffix_of(name))
    if expected is None:
        return None
    kind = kind_of(data)
    if kind == "html":
        return f"服务器返回的是网页（可能是错误页），而不是{_NAMES[expected]}"
    return None
