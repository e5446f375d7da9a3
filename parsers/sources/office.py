"""The office-file source: Word 97 (.doc), WPS (.wps), RTF (.rtf) and OpenDocument (.odt) files, as township
offices write them (WPS Office writes most). LibreOffice, a system package found on PATH, converts each in
headless mode into a temporary .docx, which the Word source reads; the document keeps the file's own form
as its `source_format`.

The conversion runs in the parsing process, under its limits: LibreOffice inherits its memory limit, is
itself given `office_timeout` seconds (under the parse's own time limit), and dies with the parsing process
(a parse killed at its time limit takes the converter with it). A conversion that fails or hangs is a
rejection with its reason; without LibreOffice the file is UNSUPPORTED_FORMAT, saying how to install it.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import signal
import subprocess
import tempfile
from dataclasses import replace
from pathlib import Path

from gongkai.parsers.document import CONVERTED, FORMAT_LABELS, Document
from gongkai.parsers.report import ReportError
from gongkai.parsers.settings import ParserSettings
from gongkai.parsers.sources.word import read_docx

# The forms LibreOffice reads for us: suffix → source_format, and what each is called.
OFFICE_FORMATS = {f".{form}": form for form in CONVERTED}
OFFICE_NAMES = {form: f"{FORMAT_LABELS[form]}（{suffix}）" for suffix, form in OFFICE_FORMATS.items()}
_PREFIX = "gongkai-office-"  # the temporary folders of conversions: gongkai-office-<pid>-…
INSTALL = (
    "本机没有安装 LibreOffice，无法转换：请安装它（Debian/Ubuntu：sudo apt-get install libreoffice-writer-nogui），"
    "或用 Word、WPS 打开后“另存为” .docx 或 PDF，放回收件箱后重新运行"
)


def libreoffice() -> str | None:
    """LibreOffice's command on PATH, or None."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def read_office(path: str | Path, settings: ParserSettings) -> Document:
    path = Path(path)
    form = OFFICE_FORMATS[path.suffix.lower()]
    command = libreoffice()
    if command is None:
        raise ReportError("UNSUPPORTED_FORMAT", f"{OFFICE_NAMES[form]}，{INSTALL}。")
    if path.stat().st_size == 0:
        raise ReportError("CORRUPT_FILE", f"{OFFICE_NAMES[form]}为空（0 字节）。")
    _sweep()
    with tempfile.TemporaryDirectory(prefix=f"{_PREFIX}{os.getpid()}-") as tmp:
        # A profile of its own: two conversions at once (two workers) never share LibreOffice's lock, and
        # the analyst's own LibreOffice settings are left alone. The file under a plain name: LibreOffice
        # names its output after its input.
        source = Path(tmp) / f"report{path.suffix.lower()}"
        shutil.copyfile(path, source)
        out = Path(tmp) / "out"
        args = [
            command, "--headless", "--norestore", "--nologo", "--nodefault", "--nolockcheck",
            f"-env:UserInstallation={(Path(tmp) / 'profile').as_uri()}",
            "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(out), str(source),
        ]  # fmt: skip
        _convert(args, settings.office_timeout, form)
        converted = out / "report.docx"
        if not converted.is_file() or converted.stat().st_size == 0:
            raise ReportError(
                "CORRUPT_FILE", f"{OFFICE_NAMES[form]}无法由 LibreOffice 转换：文件已损坏，或不是它所说的格式。"
            )
        return replace(read_docx(converted), source_format=form)


def _convert(args: list[str], seconds: float, form: str) -> None:
    """Run LibreOffice in a process group of its own, so that a hang ends it and all it started (soffice →
    oosplash → soffice.bin); and tied to this process, so that it ends with it."""
    process = subprocess.Popen(
        args,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        process_group=0,
        preexec_fn=_die_with_parent,
    )
    try:
        process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        raise ReportError(
            "PARSE_TIMEOUT", f"LibreOffice 转换{OFFICE_NAMES[form]}超过 {seconds:g} 秒仍未完成，已终止。"
        ) from None
    except BaseException:  # the parse is being stopped: the converter goes with it
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        raise


def _sweep() -> None:
    """Remove the conversion folders that parses killed at their time limit left (their process is gone)."""
    for folder in Path(tempfile.gettempdir()).glob(f"{_PREFIX}*-*"):
        pid = folder.name[len(_PREFIX) :].split("-", 1)[0]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's
    return True


def _die_with_parent() -> None:
    """In the converter, before LibreOffice starts: SIGKILL when the parsing process dies (Linux's
    PR_SET_PDEATHSIG; elsewhere nothing)."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # 1: PR_SET_PDEATHSIG
    except (AttributeError, OSError):
        pass
