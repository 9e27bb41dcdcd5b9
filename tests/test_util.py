"""Shared helpers: folding, slugs, atomic writes, which cache files may be unpickled."""
from __future__ import annotations

import os

import pytest

from briefgen.util import atomic_write, fold, private_file, slugify


def test_fold_makes_spellings_comparable():
    assert fold("Trần Văn Thuấn") == fold("Tran Van Thuan") == "tran van thuan"
    assert fold("Đào Hồng Lan") == "dao hong lan"
    assert fold("Łódź") == "lodz"
    assert fold("北京") == "北京"


def test_slugify_never_leaves_the_folder():
    assert slugify("../../etc/passwd") == "etc-passwd"
    assert slugify("Vương quốc Anh") == "vuong-quoc-anh"
    assert slugify("???") == "x"


def test_atomic_write_leaves_no_partial_file_on_error(tmp_path):
    target = tmp_path / "a.pdf"
    with pytest.raises(RuntimeError):
        with atomic_write(target) as f:
            f.write(b"half")
            raise RuntimeError("crash")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX permissions")
def test_private_file_refuses_shared_cache_files(tmp_path):
    p = tmp_path / "c.pkl"
    p.write_bytes(b"x")
    os.chmod(tmp_path, 0o755)
    os.chmod(p, 0o644)
    assert private_file(p)
    os.chmod(p, 0o666)
    assert not private_file(p)
    os.chmod(p, 0o644)
    os.chmod(tmp_path, 0o777)
    assert not private_file(p)
