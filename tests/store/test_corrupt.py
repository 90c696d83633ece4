"""A damaged workspace is refused with the way back (the newest backup), and nothing on disk is
changed: not the file, not its backups. Daily backups: one a day, the newest seven kept."""

from __future__ import annotations

import random
import shutil
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest
from store_helpers import files_in, populate

from tengnuo.errors import StoreError
from tengnuo.planner import workspace as pw
from tengnuo.store import Workspace
from tengnuo.store.backup import DAILY_KEPT, backup_folder

DAY = date(2026, 3, 2)
PAGE = 4096


def cut_half(data: bytes) -> bytes:
    return data[: len(data) // 2]


def cut_100(data: bytes) -> bytes:
    return data[:100]


def cut_all(data: bytes) -> bytes:
    return b""


def garbage(data: bytes) -> bytes:
    return random.Random(1).randbytes(len(data))


def garbage_after_header(data: bytes) -> bytes:
    return data[:100] + random.Random(2).randbytes(len(data) - 100)


def zero_middle_page(data: bytes) -> bytes:
    page = len(data) // PAGE // 2
    return data[: page * PAGE] + bytes(PAGE) + data[(page + 1) * PAGE:]


DAMAGE: dict[str, Callable[[bytes], bytes]] = {
    "cut to half": cut_half, "cut to 100 bytes": cut_100, "cut to 0 bytes": cut_all,
    "garbage": garbage, "garbage after the header": garbage_after_header,
    "a zeroed page in the middle": zero_middle_page,
}


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A populated workspace (about 30 pages), made once and copied by each test."""
    path = tmp_path_factory.mktemp("pristine") / "ws.db"
    populate(path, tasks=60)
    assert len(path.read_bytes()) // PAGE > 20
    return path


def fresh(pristine: Path, folder: Path) -> Path:
    path = folder / "ws.db"
    shutil.copyfile(pristine, path)
    return path


def refused(path: Path, today: date | None) -> StoreError:
    before = files_in(path.parent)
    with pytest.raises(StoreError) as error:
        Workspace.open(path, today=today)
    assert files_in(path.parent) == before  # same bytes, nothing deleted, no new backup
    with pytest.raises(StoreError):
        pw.open_workspace(path)  # the use case the CLI calls says the same
    assert files_in(path.parent) == before
    return error.value


@pytest.mark.parametrize("damage", DAMAGE)
def test_damage_is_refused_with_the_newest_backup_named(pristine: Path, tmp_path: Path,
                                                        damage: str) -> None:
    path = fresh(pristine, tmp_path)
    Workspace.open(path, today=DAY).close()  # the first use of the day backs it up
    good_copy = backup_folder(path) / f"daily-{DAY.isoformat()}.db"
    assert good_copy.is_file()
    path.write_bytes(DAMAGE[damage](path.read_bytes()))

    error = refused(path, today=DAY + timedelta(days=1))  # a new day: no backup of the damage
    message = str(error)
    assert str(path) in message
    assert "damaged" in message
    assert "has not changed or deleted it" in message
    assert f"cp '{good_copy}' '{path}'" in message  # the restore advice names the good copy

    shutil.copyfile(good_copy, path)  # following the advice gives the work back
    with Workspace.open(path) as ws, ws.read() as s:
        assert len(s.tasks()) == 60


@pytest.mark.parametrize("damage", DAMAGE)
def test_damage_without_any_backup_says_so(pristine: Path, tmp_path: Path, damage: str) -> None:
    path = fresh(pristine, tmp_path)
    path.write_bytes(DAMAGE[damage](path.read_bytes()))
    message = str(refused(path, today=DAY))
    assert str(path) in message
    assert "No automatic backup exists yet" in message
    assert not backup_folder(path).exists()


def test_every_page_of_the_file_is_checked(pristine: Path, tmp_path: Path) -> None:
    """Not only the pages opening happens to read: any zeroed page is found before use."""
    data = pristine.read_bytes()
    path = tmp_path / "ws.db"
    for page in range(len(data) // PAGE):
        path.write_bytes(data[: page * PAGE] + bytes(PAGE) + data[(page + 1) * PAGE:])
        with pytest.raises(StoreError, match="damaged"):
            Workspace.open(path, today=DAY)
        assert not backup_folder(path).exists(), f"page {page + 1} zeroed was backed up"


def test_one_daily_backup_a_day_and_the_newest_seven_kept(pristine: Path, tmp_path: Path) -> None:
    path = fresh(pristine, tmp_path)
    folder = backup_folder(path)
    Workspace.open(path, today=DAY).close()
    Workspace.open(path, today=DAY).close()
    assert sorted(p.name for p in folder.iterdir()) == [f"daily-{DAY.isoformat()}.db"]
    Workspace.open(path, today=DAY + timedelta(days=1)).close()
    assert len(list(folder.iterdir())) == 2
    opened = [DAY + timedelta(days=n) for n in range(2, 12)]
    for day in opened:
        Workspace.open(path, today=day).close()
    kept = sorted(p.name for p in folder.iterdir())
    assert kept == [f"daily-{d.isoformat()}.db" for d in opened[-DAILY_KEPT:]]
    newest = folder / kept[-1]
    with Workspace.open(newest) as copy, copy.read() as s:  # a backup is a whole workspace
        assert len(s.tasks()) == 60
