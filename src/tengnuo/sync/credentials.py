"""Passwords of calendar accounts: in the OS keyring when there is one, else in a file that
only its owner can read (mode 0600). Never printed, never logged, never in the workspace file
(which a person may copy or back up elsewhere).

`TENGNUO_CONFIG_DIR` overrides the folder of that file (tests); `TENGNUO_NO_KEYRING=1` skips
the keyring (a headless machine whose keyring would prompt).
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
from pathlib import Path

from tengnuo.errors import SyncError

SERVICE = "tengnuo"
FILE_NAME = "credentials.json"


def _keyring() -> object | None:
    """The OS keyring, or None when only keyring's fail/null backends are there."""
    if os.environ.get("TENGNUO_NO_KEYRING"):
        return None
    try:
        import keyring
        from keyring.backends import fail
    except ImportError:
        return None
    ring = keyring.get_keyring()
    if isinstance(ring, fail.Keyring) or getattr(ring, "priority", 0) <= 0:
        return None
    return ring


def credentials_file() -> Path:
    folder = os.environ.get("TENGNUO_CONFIG_DIR")
    if folder:
        return Path(folder) / FILE_NAME
    from platformdirs import user_config_path

    return user_config_path("tengnuo", appauthor=False) / FILE_NAME


def _read_file(path: Path) -> dict[str, str]:
    if not path.exists():
        return {}
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise SyncError(f"{path} can be read by others (mode {mode:o}); tengnuo will not use "
                        f"passwords from it. Fix it with: chmod 600 '{path}'")
    data = json.loads(path.read_text(encoding="utf-8") or "{}")
    return {str(k): str(v) for k, v in data.items()}


def _write_file(path: Path, data: dict[str, str]) -> None:
    """Write the file atomically, created 0600 from the start (never briefly readable)."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    temp = path.with_name(f".{path.name}.{os.getpid()}")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(data, handle)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temp, path)


def save_password(account: str, password: str) -> str:
    """Store the password; returns where ("the OS keyring" or the file's path)."""
    ring = _keyring()
    if ring is not None:
        ring.set_password(SERVICE, account, password)  # type: ignore[attr-defined]
        return "the OS keyring"
    path = credentials_file()
    data = _read_file(path)
    data[account] = password
    _write_file(path, data)
    return str(path)


def load_password(account: str) -> str | None:
    ring = _keyring()
    if ring is not None:
        found = ring.get_password(SERVICE, account)  # type: ignore[attr-defined]
        if found is not None:
            return str(found)
    return _read_file(credentials_file()).get(account)


def forget_password(account: str) -> None:
    ring = _keyring()
    if ring is not None:
        with contextlib.suppress(Exception):  # PasswordDeleteError when there was none
            ring.delete_password(SERVICE, account)  # type: ignore[attr-defined]
    path = credentials_file()
    data = _read_file(path)
    if data.pop(account, None) is not None:
        _write_file(path, data)
