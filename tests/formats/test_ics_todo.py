"""VTODO <-> Task: to-dos from Thunderbird, todoman and Apple Reminders, and written back so that
what we do not model survives."""

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest

from tengnuo.errors import InvalidInputError
from tengnuo.formats.ics_todo import (
    DEFAULT_ESTIMATE,
    todo_id,
    todo_to_text,
    todo_uid,
    todos_from_text,
)
from tengnuo.model.items import Split, Task

ICS = Path(__file__).resolve().parents[2] / "tests" / "data" / "ics"
BERLIN = ZoneInfo("Europe/Berlin")
STAMP = datetime(2026, 12, 6, 12, tzinfo=UTC)
SAMPLES = ("todo_thunderbird.ics", "todo_todoman.ics", "todo_apple.ics")


def berlin(*args):
    return datetime(*args, tzinfo=BERLIN).astimezone(UTC)


def read(name, tz=BERLIN):
    records, issues = todos_from_text((ICS / name).read_bytes(), name, tz)
    return {r.task.title: r for r in records}, issues


def vtodo(text, uid):
    calendar = icalendar.Calendar.from_ical(text)
    return next(t for t in calendar.walk("VTODO") if str(t["UID"]) == uid)


def test_thunderbird_todos():
    """Times with TZID, PRIORITY 1 and 9, two categories, a DEPENDS-ON link, a completed one."""
    records, issues = read("todo_thunderbird.ics")
    prep = records["Prepare Acme system design interview"]
    cv = records["Update CV with the last project"]
    assert prep.task == Task(
        id=todo_id("c8e6a1f2-4b3d-4e5f-9a8b-7c6d5e4f3a2b"),
        title="Prepare Acme system design interview", duration=timedelta(hours=4),
        due=berlin(2026, 12, 9, 13), priority=1, category="jobsearch",
        not_before=berlin(2026, 12, 7, 12), after=(cv.task.id,))
    assert not prep.completed  # IN-PROCESS, 25 %
    assert cv.completed
    assert records["Call the landlord about the heating"].task.priority == 4
    assert [i.message for i in issues] == [
        f"to-do {uid}: no estimate (X-TENGNUO-ESTIMATE, ESTIMATED-DURATION or DURATION); "
        "planned as PT1H" for uid in ("0f1e2d3c-4b5a-6978-8a9b-acbdcedf0011",
                                      "7b3c2d1e-0000-4f5f-9a8b-111122223333")]


def test_todoman_todos():
    """A date DUE is the end of that day; ESTIMATED-DURATION and DURATION are estimates; a
    plain RELATED-TO is a parent, not an order; a cancelled to-do is skipped and reported."""
    records, issues = read("todo_todoman.ics")
    report, send = records["Write the grant report"], records["Send the grant report to the board"]
    assert report.task.due == berlin(2026, 12, 12)
    assert report.task.duration == timedelta(hours=6)
    assert (report.task.priority, report.task.category) == (2, "work")
    assert send.task.duration == timedelta(minutes=30)
    assert send.task.due == berlin(2026, 12, 11, 17)
    assert send.task.after == (report.task.id,)
    assert send.task.priority == 1
    assert "Book the conference hotel" not in records
    assert [i.message for i in issues] == [
        "to-do deadbeefdeadbeefdeadbeefdeadbeef@laptop is cancelled, so it was not read"]
    assert all(i.file == "todo_todoman.ics" for i in issues)


def test_apple_reminders():
    """Apple's date-only DTSTART/DUE, a completed reminder, a subtask (RELATED-TO parent)."""
    records, issues = read("todo_apple.ics")
    paper = records["Buy printer paper"]
    assert paper.completed
    assert (paper.task.not_before, paper.task.due) == (berlin(2026, 12, 6), berlin(2026, 12, 7))
    passport = records["Pick up the passport"]
    assert (passport.task.priority, passport.task.due) == (1, berlin(2026, 12, 10, 18))
    photos = records["Bring two photos"]
    assert photos.task.after == ()
    assert photos.task.duration == DEFAULT_ESTIMATE
    assert len(issues) == 3
    assert all("planned as PT1H" in i.message for i in issues)


def test_task_ids_are_stable_and_come_from_the_uid():
    """Reading twice, or after a new title, gives the same id; our own UIDs give the id back."""
    uid = "6B29FC40-CA47-1067-B31D-00DD010662DA"
    assert todo_id(uid) == todo_id(uid) == read("todo_apple.ics")[0]["Buy printer paper"].task.id
    assert todo_id(uid).startswith("todo-")
    assert len(todo_id(uid)) == len("todo-") + 10
    assert todo_id(todo_uid("acme-prep")) == "acme-prep"
    assert todo_id("@tengnuo").startswith("todo-")


@pytest.mark.parametrize(("ical", "ours"), [
    (None, 3), ("0", 3), ("1", 1), ("2", 1), ("3", 2), ("4", 2), ("5", 3), ("6", 3), ("7", 4),
    ("8", 4), ("9", 4), ("12", 3)])
def test_priority_mapping(ical, ours):
    """iCalendar 1-9 (0 undefined) onto tengnuo 1-4; out of range reads as 3 with a warning."""
    line = f"PRIORITY:{ical}\r\n" if ical is not None else ""
    text = ("BEGIN:VCALENDAR\r\nBEGIN:VTODO\r\nUID:p\r\nSUMMARY:p\r\nX-TENGNUO-ESTIMATE:PT1H\r\n"
            f"{line}END:VTODO\r\nEND:VCALENDAR\r\n")
    records, issues = todos_from_text(text, "p.ics", BERLIN)
    assert records[0].task.priority == ours
    assert len(issues) == (1 if ical == "12" else 0)


FULL = Task(id="acme-prep", title="Prepare Acme; \"system\" design", duration=timedelta(hours=4),
            due=berlin(2026, 3, 29, 13), hard=True, priority=2, weight=6, category="jobsearch",
            hours="work", not_before=berlin(2026, 3, 28, 9), split=Split(timedelta(minutes=30),
                                                                          timedelta(minutes=90)),
            after=("acme-cv", "todo-56677b2877"))


@pytest.mark.parametrize("task", [
    FULL, Task(id="plain", title="Plain", duration=timedelta(minutes=20)),
    Task(id="low", title="Low", duration=timedelta(hours=2), priority=4, due=berlin(2026, 12, 8))])
@pytest.mark.parametrize("completed", [False, True])
def test_task_to_text_to_task_is_the_same_task(task, completed):
    """Every field of a task, and done or not, survives writing and reading."""
    text = todo_to_text(task, todo_uid(task.id), completed, BERLIN, stamp=STAMP)
    [record], issues = todos_from_text(text, "written", BERLIN)
    assert (record.task, record.completed, record.uid) == (task, completed, todo_uid(task.id))
    assert issues == []


@pytest.mark.parametrize("name", SAMPLES)
def test_every_sample_reads_back_the_same_after_writing(name):
    """Text -> task -> text (merged into the record's text) -> task: the same, for every to-do,
    and when nothing changed the to-do's text is not touched (same DTSTAMP)."""
    records, _ = todos_from_text((ICS / name).read_bytes(), name, BERLIN)
    for record in records:
        text = todo_to_text(record.task, record.uid, record.completed, BERLIN, record.text,
                            stamp=STAMP)
        [again], _ = todos_from_text(text, "merged", BERLIN)
        assert (again.task, again.completed) == (record.task, record.completed)
        before, after = vtodo(record.text, record.uid), vtodo(text, record.uid)
        assert after["DTSTAMP"].dt == before["DTSTAMP"].dt
        assert sorted(after) == sorted(before)


def test_merge_changes_only_our_properties():
    """A new title, due and estimate in Thunderbird's to-do keep DESCRIPTION, VALARM, the
    X-MOZ properties, the second category and the DEPENDS-ON UID; DTSTAMP moves."""
    records, _ = read("todo_thunderbird.ics")
    prep = records["Prepare Acme system design interview"]
    changed = Task(**{**prep.task.__dict__, "title": "Prepare Acme interview",
                      "due": berlin(2026, 12, 9, 12), "duration": timedelta(hours=5),
                      "category": "career"})
    text = todo_to_text(changed, prep.uid, False, BERLIN, prep.text, stamp=STAMP)
    todo = vtodo(text, prep.uid)
    before = vtodo(prep.text, prep.uid)
    assert str(todo["SUMMARY"]) == "Prepare Acme interview"
    assert todo["DUE"].dt == datetime(2026, 12, 9, 12, tzinfo=BERLIN)
    assert str(todo["X-TENGNUO-ESTIMATE"]) == "PT5H"
    assert [str(c) for c in todo.categories] == ["career", "Business"]  # the first is replaced
    for kept in ("DESCRIPTION", "X-MOZ-GENERATION", "X-MOZ-LASTACK", "CREATED", "PERCENT-COMPLETE",
                 "STATUS", "DTSTART", "PRIORITY", "RELATED-TO"):
        assert todo[kept].to_ical() == before[kept].to_ical(), kept
    assert [a["TRIGGER"].to_ical() for a in todo.walk("VALARM")] == [b"-PT15M"]
    assert todo["DTSTAMP"].dt == STAMP
    assert todo["LAST-MODIFIED"].dt == STAMP
    [again], _ = todos_from_text(text, "merged", BERLIN)
    assert again.task == changed


def test_merge_keeps_apple_alarm_and_x_apple_properties_and_parent_link():
    """Apple's subtask link (a plain RELATED-TO) stays when a dependency is added."""
    records, _ = read("todo_apple.ics")
    photos = records["Bring two photos"]
    passport = records["Pick up the passport"]
    changed = Task(**{**photos.task.__dict__, "after": (passport.task.id,)})
    text = todo_to_text(changed, photos.uid, False, BERLIN, photos.text, stamp=STAMP,
                        uids={passport.task.id: passport.uid})
    related = vtodo(text, photos.uid)["RELATED-TO"]
    assert [(str(r), r.params.get("RELTYPE")) for r in related] == [
        (passport.uid, None), (passport.uid, "DEPENDS-ON")]
    assert str(vtodo(text, photos.uid)["X-APPLE-SORT-ORDER"]) == "734567892"
    [again], _ = todos_from_text(text, "merged", BERLIN)
    assert again.task.after == (passport.task.id,)
    alarm_text = todo_to_text(passport.task, passport.uid, True, BERLIN, passport.text)
    alarm = vtodo(alarm_text, passport.uid).walk("VALARM")[0]
    assert str(alarm["X-WR-ALARMUID"]) == "B2F1A7C4-9D3E-4F21-8A6B-5C4D3E2F1A0B"


def test_completing_and_reopening():
    """Done: STATUS:COMPLETED, COMPLETED, 100 %. Reopened: NEEDS-ACTION, no COMPLETED."""
    records, _ = read("todo_thunderbird.ics")
    prep, cv = records["Prepare Acme system design interview"], records[
        "Update CV with the last project"]
    done = vtodo(todo_to_text(prep.task, prep.uid, True, BERLIN, prep.text, stamp=STAMP), prep.uid)
    assert (str(done["STATUS"]), done["COMPLETED"].dt, int(done["PERCENT-COMPLETE"])) == (
        "COMPLETED", STAMP, 100)
    reopened = vtodo(todo_to_text(cv.task, cv.uid, False, BERLIN, cv.text, stamp=STAMP), cv.uid)
    assert str(reopened["STATUS"]) == "NEEDS-ACTION"
    assert "COMPLETED" not in reopened
    assert "PERCENT-COMPLETE" not in reopened
    [again], _ = todos_from_text(reopened.to_ical().decode().join(
        ["BEGIN:VCALENDAR\r\n", "END:VCALENDAR\r\n"]), "x", BERLIN)
    assert not again.completed


def test_a_completed_property_alone_means_done():
    """Some clients set COMPLETED without STATUS."""
    text = ("BEGIN:VCALENDAR\r\nBEGIN:VTODO\r\nUID:c\r\nSUMMARY:c\r\nX-TENGNUO-ESTIMATE:PT1H\r\n"
            "COMPLETED:20261201T100000Z\r\nEND:VTODO\r\nEND:VCALENDAR\r\n")
    assert todos_from_text(text, "c.ics", BERLIN)[0][0].completed


def test_due_and_duration_are_never_written_together():
    """todoman's DURATION estimate becomes X-TENGNUO-ESTIMATE when a DUE is written."""
    records, _ = read("todo_todoman.ics")
    report = records["Write the grant report"]
    send = records["Send the grant report to the board"]
    moved = Task(**{**send.task.__dict__, "due": berlin(2026, 12, 14, 10)})
    todo = vtodo(todo_to_text(moved, send.uid, False, BERLIN, send.text, stamp=STAMP), send.uid)
    assert "DURATION" not in todo
    assert str(todo["X-TENGNUO-ESTIMATE"]) == "PT30M"
    assert [str(r) for r in todo["RELATED-TO"]] == [report.uid,
                                                    "aa00bb11cc22dd33ee44ff5566778899@laptop"]
    report_text = todo_to_text(Task(**{**report.task.__dict__, "duration": timedelta(hours=8)}),
                               report.uid, False, BERLIN, report.text, stamp=STAMP)
    assert str(vtodo(report_text, report.uid)["ESTIMATED-DURATION"]) == "PT8H"
    assert vtodo(report_text, report.uid)["DUE"].to_ical() == b"20261211"  # untouched


def test_base_without_the_todo_is_refused():
    """Writing into a calendar that does not hold the UID would lose data: refused."""
    with pytest.raises(InvalidInputError):
        todo_to_text(FULL, "other@x", False, BERLIN, (ICS / "todo_apple.ics").read_text())
    with pytest.raises(InvalidInputError):
        todo_to_text(FULL, "other@x", False, BERLIN, "BEGIN:VCALENDAR\r\nnonsense\r\n")
