"""Grouping the inbox into parse tasks: every file once, in order, in batches that shrink at the end."""

from __future__ import annotations

from gongkai.flows.county import batches


def _files(n: int) -> list[tuple[str, str]]:
    return [(f"{i}.pdf", f"sha{i}") for i in range(n)]


def test_every_file_once_in_arrival_order():
    for n, workers in ((0, 2), (1, 2), (59, 2), (994, 2), (198, 1), (2000, 8)):
        groups = batches(_files(n), workers)
        assert [f for group in groups for f in group] == _files(n)


def test_batches_shrink_towards_the_end_with_several_workers():
    sizes = [len(b) for b in batches(_files(994), 2)]
    assert sizes[:36] == [25] * 36  # Prefect's per-task cost paid once per 25 files
    assert sizes[36:] == [23, 17, 13, 10, 7, 6, 4, 3, 3, 3, 3, 2]
    assert [len(b) for b in batches(_files(198), 1)] == [25] * 7 + [23]  # one worker: nobody to wait for


def test_a_given_size_is_kept():
    assert [len(b) for b in batches(_files(10), 2, size=4)] == [4, 4, 2]
