"""Passwords without a keyring: a file only its owner can read, refused when others can."""

from __future__ import annotations

import stat

import pytest

from tengnuo.errors import SyncError
from tengnuo.sync import credentials


@pytest.fixture(autouse=True)
def no_keyring(tmp_path, monkeypatch):
    monkeypatch.setenv("TENGNUO_NO_KEYRING", "1")
    monkeypatch.setenv("TENGNUO_CONFIG_DIR", str(tmp_path / "config"))


def test_password_file_is_created_readable_by_its_owner_only(tmp_path):
    where = credentials.save_password("home", "s3cret")
    path = credentials.credentials_file()
    assert where == str(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert credentials.load_password("home") == "s3cret"
    assert credentials.load_password("other") is None


def test_a_password_file_others_can_read_is_refused_with_the_fix():
    credentials.save_password("home", "s3cret")
    path = credentials.credentials_file()
    path.chmod(0o644)
    with pytest.raises(SyncError, match="chmod 600") as caught:
        credentials.load_password("home")
    assert "s3cret" not in str(caught.value)


def test_forgetting_removes_only_that_account():
    credentials.save_password("home", "a")
    credentials.save_password("work", "b")
    credentials.forget_password("home")
    assert credentials.load_password("home") is None
    assert credentials.load_password("work") == "b"
