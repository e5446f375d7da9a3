"""Files saved by LibreOffice, as a township office's WPS or Word saves them: Word 97 (.doc), WPS (.wps: Word 97
under WPS's own name), RTF, OpenDocument, or a web page. The demo portal publishes some reports so; None of
this where LibreOffice is not installed."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from gongkai.parsers.sources.office import libreoffice

_FILTERS = {"doc": "doc:MS Word 97", "rtf": "rtf", "odt": "odt", "html": "html:HTML (StarWriter)"}


def available() -> bool:
    return libreoffice() is not None


def save_as(source: Path, form: str) -> bytes:
    """`source` (a .docx) as LibreOffice saves it in `form` (doc, wps, rtf, odt, html): the file's bytes."""
    command = libreoffice()
    if command is None:
        raise RuntimeError("LibreOffice is not installed")
    with tempfile.TemporaryDirectory(prefix="gongkai-demo-office-") as tmp:
        work = Path(tmp) / f"report{source.suffix}"
        shutil.copyfile(source, work)
        target = "doc" if form == "wps" else form
        subprocess.run(
            [command, "--headless", "--norestore", f"-env:UserInstallation={(Path(tmp) / 'profile').as_uri()}",
             "--convert-to", _FILTERS[target], "--outdir", tmp, str(work)],
            check=True, capture_output=True, timeout=180,
        )  # fmt: skip
        return (Path(tmp) / f"report.{target}").read_bytes()
