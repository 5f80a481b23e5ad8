"""Output files: written whole, replacing what was there, never into a folder that is not there."""

import pytest

from search.output import write_file


def test_a_file_is_written_whole_and_replaced_whole(tmp_path):
    path = tmp_path / "page.html"
    data = "政府信息公开".encode() * 100_000  # larger than one write of a pipe or a small buffer
    write_file(path, data)
    assert path.read_bytes() == data
    write_file(str(path), b"short")  # a shorter file leaves nothing of the longer one
    assert path.read_bytes() == b"short"
    write_file(path, b"")
    assert path.read_bytes() == b""


def test_the_folder_must_exist(tmp_path):
    with pytest.raises(FileNotFoundError):
        write_file(tmp_path / "missing" / "page.html", b"x")
    assert not (tmp_path / "missing").exists()
