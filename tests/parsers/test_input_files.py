"""`input_files`: the one scan of an inbox, shared by the run, doctor and init."""

from __future__ import annotations

from pathlib import Path

from gongkai.parsers.sources import input_files


def _touch(root: Path, *names: str) -> None:
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"x")


def test_input_files_finds_reports_sent_in_and_leaves_hidden_and_other_files(tmp_path):
    _touch(
        tmp_path,
        "b.pdf",
        "A.PDF",
        "乡镇/东风镇.HTM",
        "乡镇/2023/汤旺河镇.docx",
        "乡镇/旧.doc",  # read through LibreOffice (UNSUPPORTED_FORMAT without it): sent in all the same
        "说明.txt",  # not a report format
        "townships.csv",
        ".隐藏.pdf",  # hidden file
        "~$草稿.docx",  # Word's lock file
        ".gongkai/pages/页.html",  # collection's hidden state
        "乡镇/.cache/x.pdf",  # hidden folder further down
    )
    assert [p.relative_to(tmp_path).as_posix() for p in input_files(tmp_path)] == [
        "A.PDF",
        "b.pdf",
        "乡镇/2023/汤旺河镇.docx",
        "乡镇/东风镇.HTM",
        "乡镇/旧.doc",
    ]


def test_input_files_looks_inside_a_hidden_inbox_itself_and_not_into_skipped_folders(tmp_path):
    inbox = tmp_path / ".收件"
    _touch(inbox, "a.pdf", "看板/index.html", "看板/charts/c.png", "b/c.pdf")
    assert input_files(inbox, skip=lambda d: d.name == "看板") == [inbox / "a.pdf", inbox / "b" / "c.pdf"]
    assert len(input_files(inbox)) == 4
    assert input_files(tmp_path / "没有") == []


def test_input_files_does_not_follow_a_linked_folder(tmp_path):
    _touch(tmp_path, "elsewhere/x.pdf", "inbox/a.pdf")
    (tmp_path / "inbox" / "link").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    (tmp_path / "inbox" / "y.pdf").symlink_to(tmp_path / "elsewhere" / "x.pdf")
    inbox = tmp_path / "inbox"
    assert input_files(inbox) == [inbox / "a.pdf", inbox / "y.pdf"]
    # as the run's rglob found them before
    assert input_files(inbox) == sorted(p for p in inbox.rglob("*") if p.is_file())
