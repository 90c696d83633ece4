"""The quick-add grammar: one line of English, Chinese or both -> the task's fields.

Expected instants are written as local wall times and converted to UTC here, never computed with
the code under test. Three fixed "now"s: (a) an ordinary Monday in Berlin, (b) the last evening of
the year in Shanghai (year rollover), (c) the Saturday before Berlin springs forward (Sun 29 Mar
2026, 02:00 -> 03:00), so `tomorrow 02:30` falls in the gap.
"""

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tengnuo.errors import InvalidInputError
from tengnuo.formats.quickadd import QuickTask, parse_quick_add

BERLIN = ZoneInfo("Europe/Berlin")
SHANGHAI = ZoneInfo("Asia/Shanghai")
NEW_YORK = ZoneInfo("America/New_York")
NOWS = {
    "a": (datetime(2026, 11, 30, 10, 0, tzinfo=BERLIN), BERLIN),  # Mon
    "b": (datetime(2026, 12, 31, 22, 30, tzinfo=SHANGHAI), SHANGHAI),  # Thu, year end
    "c": (datetime(2026, 3, 28, 10, 0, tzinfo=BERLIN), BERLIN),  # Sat before spring forward
    "ny": (datetime(2026, 10, 31, 10, 0, tzinfo=NEW_YORK), NEW_YORK),  # Sat before fall back
}


def b(y, mo, d, h=0, mi=0):
    """A Berlin wall time as UTC."""
    return datetime(y, mo, d, h, mi, tzinfo=BERLIN).astimezone(UTC)


def s(y, mo, d, h=0, mi=0):
    """A Shanghai wall time as UTC."""
    return datetime(y, mo, d, h, mi, tzinfo=SHANGHAI).astimezone(UTC)


def m(minutes):
    return timedelta(minutes=minutes)


Q = QuickTask

ROWS = [
    # --- (a) Mon 2026-11-30 10:00 Europe/Berlin: durations in English
    ("a", "Write report 3h", Q("Write report", duration=m(180))),
    ("a", "Write report 45m", Q("Write report", duration=m(45))),
    ("a", "Write report 1h30m", Q("Write report", duration=m(90))),
    ("a", "Write report 1h 30m", Q("Write report", duration=m(90))),
    ("a", "Write report 1.5h", Q("Write report", duration=m(90))),
    ("a", "Write report 0.25h", Q("Write report", duration=m(15))),
    ("a", "Write report 90min", Q("Write report", duration=m(90))),
    ("a", "Write report 90 mins", Q("Write report", duration=m(90))),
    ("a", "Write report 2 hours", Q("Write report", duration=m(120))),
    ("a", "Write report 1 hour", Q("Write report", duration=m(60))),
    ("a", "Write report 30 minutes", Q("Write report", duration=m(30))),
    ("a", "Write report 2 hrs", Q("Write report", duration=m(120))),
    ("a", "Write report 1 hour 15 minutes", Q("Write report", duration=m(75))),
    ("a", "Write report half an hour", Q("Write report", duration=m(30))),
    ("a", "Spend an hour on email", Q("Spend on email", duration=m(60))),
    ("a", "3h deep work", Q("deep work", duration=m(180))),
    # durations in Chinese
    ("a", "写报告 2小时", Q("写报告", duration=m(120))),
    ("a", "写报告 45分钟", Q("写报告", duration=m(45))),
    ("a", "写报告 1个半小时", Q("写报告", duration=m(90))),
    ("a", "写报告 半小时", Q("写报告", duration=m(30))),
    ("a", "写报告 半个小时", Q("写报告", duration=m(30))),
    ("a", "写报告 一个小时", Q("写报告", duration=m(60))),
    ("a", "写报告 两小时", Q("写报告", duration=m(120))),
    ("a", "写报告 1小时30分钟", Q("写报告", duration=m(90))),
    ("a", "写报告 1小时30分", Q("写报告", duration=m(90))),
    ("a", "写报告 3个小时", Q("写报告", duration=m(180))),
    ("a", "写报告 十小时", Q("写报告", duration=m(600))),
    ("a", "写报告 十二小时", Q("写报告", duration=m(720))),
    ("a", "写报告 两个半小时", Q("写报告", duration=m(150))),
    ("a", "写报告 半个钟头", Q("写报告", duration=m(30))),
    ("a", "写报告 一刻钟", Q("写报告", duration=m(15))),
    ("a", "写报告 1.5小时", Q("写报告", duration=m(90))),
    ("a", "写报告 2小时 30分钟", Q("写报告", duration=m(150))),
    ("a", "写报告 三十分钟", Q("写报告", duration=m(30))),
    ("a", "写报告3小时", Q("写报告", duration=m(180))),
    # lines whose words only look like fields
    ("a", "Call mom", Q("Call mom")),
    ("a", "Read Designing Data-Intensive Applications ch. 3",
     Q("Read Designing Data-Intensive Applications ch. 3")),
    ("a", "Learn by doing", Q("Learn by doing")),
    ("a", "Call mom after lunch", Q("Call mom after lunch")),
    ("a", "Fix C# build", Q("Fix C# build")),
    ("a", "Fix issue #123", Q("Fix issue #123")),
    ("a", "Email bob@example.com", Q("Email bob@example.com")),
    ("a", "Stand by me", Q("Stand by me")),
    ("a", "Plan monday standup", Q("Plan monday standup")),
    ("a", "Do the hard part", Q("Do the hard part")),
    ("a", "Review p1 draft", Q("Review p1 draft")),
    ("a", "Wedding planning", Q("Wedding planning")),
    ("a", "From zero to one", Q("From zero to one")),
    ("a", "Wow!1 day", Q("Wow!1 day")),
    ("a", "准备周三例会", Q("准备周三例会")),
    ("a", "硬盘备份", Q("硬盘备份")),
    ("a", "从零开始学 Rust", Q("从零开始学 Rust")),
    ("a", '"Finish by fri" 2h', Q("Finish by fri", duration=m(120))),
    ("a", '"Call mom after lunch" 20m', Q("Call mom after lunch", duration=m(20))),
    ("a", "“周三前交” 1小时", Q("周三前交", duration=m(60))),
    # due, English
    ("a", "Pay rent by tomorrow", Q("Pay rent", due=b(2026, 12, 2))),
    ("a", "Pay rent by today", Q("Pay rent", due=b(2026, 12, 1))),
    ("a", "Pay rent by tonight", Q("Pay rent", due=b(2026, 11, 30, 20))),
    ("a", "Pay rent by tonight 11pm", Q("Pay rent", due=b(2026, 11, 30, 23))),
    ("a", "Pay rent by tonight 8:00", Q("Pay rent", due=b(2026, 11, 30, 20))),
    ("a", "Pay rent by eod", Q("Pay rent", due=b(2026, 11, 30, 17))),
    ("a", "Pay rent by end of day", Q("Pay rent", due=b(2026, 11, 30, 17))),
    ("a", "Pay rent by noon", Q("Pay rent", due=b(2026, 11, 30, 12))),
    ("a", "Pay rent by midnight", Q("Pay rent", due=b(2026, 12, 1))),
    ("a", "Pay rent by 9am", Q("Pay rent", due=b(2026, 12, 1, 9))),
    ("a", "Pay rent by 13:00", Q("Pay rent", due=b(2026, 11, 30, 13))),
    ("a", "Pay rent by 3:30pm", Q("Pay rent", due=b(2026, 11, 30, 15, 30))),
    ("a", "Pay rent by 3 pm", Q("Pay rent", due=b(2026, 11, 30, 15))),
    ("a", "Pay rent by 12pm", Q("Pay rent", due=b(2026, 11, 30, 12))),
    ("a", "Pay rent by 12am", Q("Pay rent", due=b(2026, 12, 1))),
    ("a", "Pay rent by wed", Q("Pay rent", due=b(2026, 12, 3))),
    ("a", "Pay rent by wednesday 13:00", Q("Pay rent", due=b(2026, 12, 2, 13))),
    ("a", "Pay rent by mon", Q("Pay rent", due=b(2026, 12, 1))),
    ("a", "Pay rent by mon 9:00", Q("Pay rent", due=b(2026, 12, 7, 9))),
    ("a", "Pay rent by mon 11:00", Q("Pay rent", due=b(2026, 11, 30, 11))),
    ("a", "Pay rent by next mon", Q("Pay rent", due=b(2026, 12, 8))),
    ("a", "Pay rent by next fri", Q("Pay rent", due=b(2026, 12, 12))),
    ("a", "Pay rent by this fri", Q("Pay rent", due=b(2026, 12, 5))),
    ("a", "Pay rent due in 3 days", Q("Pay rent", due=b(2026, 12, 4))),
    ("a", "Pay rent due in 2 weeks", Q("Pay rent", due=b(2026, 12, 15))),
    ("a", "Pay rent due in a week", Q("Pay rent", due=b(2026, 12, 8))),
    ("a", "Pay rent due in 2 hours", Q("Pay rent", due=b(2026, 11, 30, 12))),
    ("a", "Pay rent due in 30 minutes", Q("Pay rent", due=b(2026, 11, 30, 10, 30))),
    ("a", "Pay rent by 2026-12-09", Q("Pay rent", due=b(2026, 12, 10))),
    ("a", "Pay rent by 2026-12-09 13:00", Q("Pay rent", due=b(2026, 12, 9, 13))),
    ("a", "Pay rent by 2026-12-09T13:00", Q("Pay rent", due=b(2026, 12, 9, 13))),
    ("a", "Pay rent by 2026-12-09T13:00+00:00",
     Q("Pay rent", due=datetime(2026, 12, 9, 13, tzinfo=UTC))),
    ("a", "Pay rent by dec 9", Q("Pay rent", due=b(2026, 12, 10))),
    ("a", "Pay rent by 9 dec", Q("Pay rent", due=b(2026, 12, 10))),
    ("a", "Pay rent by december 9th 3pm", Q("Pay rent", due=b(2026, 12, 9, 15))),
    ("a", "Pay rent by dec 9, 2027", Q("Pay rent", due=b(2027, 12, 10))),
    ("a", "Pay rent by jan 5", Q("Pay rent", due=b(2027, 1, 6))),
    ("a", "Pay rent by nov 30", Q("Pay rent", due=b(2026, 12, 1))),
    ("a", "Pay rent by fri eod", Q("Pay rent", due=b(2026, 12, 4, 17))),
    ("a", "Pay rent by eod fri", Q("Pay rent", due=b(2026, 12, 4, 17))),
    ("a", "Pay rent by 9am tomorrow", Q("Pay rent", due=b(2026, 12, 1, 9))),
    ("a", "Pay rent by tomorrow at 9am", Q("Pay rent", due=b(2026, 12, 1, 9))),
    ("a", "Pay rent by 9am on fri", Q("Pay rent", due=b(2026, 12, 4, 9))),
    ("a", "Pay rent until fri", Q("Pay rent", due=b(2026, 12, 5))),
    ("a", "Pay rent before thu", Q("Pay rent", due=b(2026, 12, 4))),
    ("a", "Pay rent due tomorrow", Q("Pay rent", due=b(2026, 12, 2))),
    ("a", "Pay rent due by sat noon", Q("Pay rent", due=b(2026, 12, 5, 12))),
    ("a", "Pay rent By Friday", Q("Pay rent", due=b(2026, 12, 5))),
    ("a", "Pay rent by tmr", Q("Pay rent", due=b(2026, 12, 2))),
    ("a", "Pay rent by 13/09", Q("Pay rent", due=b(2027, 9, 14))),
    ("a", "Pay rent by 12/12", Q("Pay rent", due=b(2026, 12, 13))),
    ("a", "Pay rent by 2026-12-09 13:00 hard", Q("Pay rent", due=b(2026, 12, 9, 13), hard=True)),
    ("a", "Pay rent by fri hard #home", Q("Pay rent", due=b(2026, 12, 5), hard=True,
                                          category="home")),
    ("a", "Pay rent by fri #home hard", Q("Pay rent", due=b(2026, 12, 5), hard=True,
                                          category="home")),
    ("a", "Taxes, by fri", Q("Taxes", due=b(2026, 12, 5))),
    # due, Chinese
    ("a", "交房租 明天前", Q("交房租", due=b(2026, 12, 2))),
    ("a", "交房租 今天之前", Q("交房租", due=b(2026, 12, 1))),
    ("a", "交房租 后天以前", Q("交房租", due=b(2026, 12, 3))),
    ("a", "交房租 大后天前", Q("交房租", due=b(2026, 12, 4))),
    ("a", "交房租 周三前", Q("交房租", due=b(2026, 12, 3))),
    ("a", "交房租 星期三前", Q("交房租", due=b(2026, 12, 3))),
    ("a", "交房租 礼拜三前", Q("交房租", due=b(2026, 12, 3))),
    ("a", "交房租 周日前", Q("交房租", due=b(2026, 12, 7))),
    ("a", "交房租 周天前", Q("交房租", due=b(2026, 12, 7))),
    ("a", "交房租 星期天前", Q("交房租", due=b(2026, 12, 7))),
    ("a", "交房租 下周一前", Q("交房租", due=b(2026, 12, 8))),
    ("a", "交房租 下星期三前", Q("交房租", due=b(2026, 12, 10))),
    ("a", "交房租 下下周一前", Q("交房租", due=b(2026, 12, 15))),
    ("a", "交房租 这周五前", Q("交房租", due=b(2026, 12, 5))),
    ("a", "交房租 本周五前", Q("交房租", due=b(2026, 12, 5))),
    ("a", "交房租 12月9日前", Q("交房租", due=b(2026, 12, 10))),
    ("a", "交房租 12月9号前", Q("交房租", due=b(2026, 12, 10))),
    ("a", "交房租 十二月九日前", Q("交房租", due=b(2026, 12, 10))),
    ("a", "交房租 2027年1月5日前", Q("交房租", due=b(2027, 1, 6))),
    ("a", "交房租 截止12月9日", Q("交房租", due=b(2026, 12, 10))),
    ("a", "交房租 截止到周五", Q("交房租", due=b(2026, 12, 5))),
    ("a", "交房租 截至明天", Q("交房租", due=b(2026, 12, 2))),
    ("a", "交房租 周五截止", Q("交房租", due=b(2026, 12, 5))),
    ("a", "交房租 明天上午9点前", Q("交房租", due=b(2026, 12, 1, 9))),
    ("a", "交房租 明天下午3点前", Q("交房租", due=b(2026, 12, 1, 15))),
    ("a", "交房租 明天下午3点半前", Q("交房租", due=b(2026, 12, 1, 15, 30))),
    ("a", "交房租 明天十点前", Q("交房租", due=b(2026, 12, 1, 10))),
    ("a", "交房租 今晚8点前", Q("交房租", due=b(2026, 11, 30, 20))),
    ("a", "交房租 晚上8点前", Q("交房租", due=b(2026, 11, 30, 20))),
    ("a", "交房租 晚上12点前", Q("交房租", due=b(2026, 12, 1))),
    ("a", "交房租 中午12点前", Q("交房租", due=b(2026, 11, 30, 12))),
    ("a", "交房租 中午1点前", Q("交房租", due=b(2026, 11, 30, 13))),
    ("a", "交房租 中午前", Q("交房租", due=b(2026, 11, 30, 12))),
    ("a", "交房租 9点前", Q("交房租", due=b(2026, 12, 1, 9))),
    ("a", "交房租 9点15分前", Q("交房租", due=b(2026, 12, 1, 9, 15))),
    ("a", "交房租 9:30前", Q("交房租", due=b(2026, 12, 1, 9, 30))),
    ("a", "交房租 明天凌晨1点前", Q("交房租", due=b(2026, 12, 1, 1))),
    ("a", "交房租 明天早上8点前", Q("交房租", due=b(2026, 12, 1, 8))),
    ("a", "交房租 周三13:00前", Q("交房租", due=b(2026, 12, 2, 13))),
    ("a", "交房租 周三 13:00 前", Q("交房租", due=b(2026, 12, 2, 13))),
    ("a", "交房租 明晚前", Q("交房租", due=b(2026, 12, 1, 20))),
    ("a", "交房租 明早前", Q("交房租", due=b(2026, 12, 1, 9))),
    ("a", "交房租 明天下午三点前", Q("交房租", due=b(2026, 12, 1, 15))),
    ("a", "交房租 周三前 必须", Q("交房租", due=b(2026, 12, 3), hard=True)),
    ("a", "交房租 必须周三前", Q("交房租", due=b(2026, 12, 3), hard=True)),
    ("a", "交房租 周三前硬", Q("交房租", due=b(2026, 12, 3), hard=True)),
    ("a", "交房租 硬 周三前", Q("交房租", due=b(2026, 12, 3), hard=True)),
    ("a", "准备面试，周三前", Q("准备面试", due=b(2026, 12, 3))),
    ("a", "交房租 ！2 周三前", Q("交房租", due=b(2026, 12, 3), priority=2)),
    # not before
    ("a", "Gym from tomorrow", Q("Gym", not_before=b(2026, 12, 1))),
    ("a", "Gym from tomorrow 9:00", Q("Gym", not_before=b(2026, 12, 1, 9))),
    ("a", "Gym from thu", Q("Gym", not_before=b(2026, 12, 3))),
    ("a", "Gym from mon", Q("Gym", not_before=b(2026, 12, 7))),
    ("a", "Gym from 14:00", Q("Gym", not_before=b(2026, 11, 30, 14))),
    ("a", "Gym not before fri 14:00", Q("Gym", not_before=b(2026, 12, 4, 14))),
    ("a", "Gym starting dec 9", Q("Gym", not_before=b(2026, 12, 9))),
    ("a", "Gym from thu by sat", Q("Gym", not_before=b(2026, 12, 3), due=b(2026, 12, 6))),
    ("a", "健身 从周四开始", Q("健身", not_before=b(2026, 12, 3))),
    ("a", "健身 周四起", Q("健身", not_before=b(2026, 12, 3))),
    ("a", "健身 周四以后", Q("健身", not_before=b(2026, 12, 3))),
    ("a", "健身 周四之后", Q("健身", not_before=b(2026, 12, 3))),
    ("a", "健身 在周四之后", Q("健身", not_before=b(2026, 12, 3))),
    ("a", "健身 从明天9:00开始", Q("健身", not_before=b(2026, 12, 1, 9))),
    ("a", "健身 从明天起", Q("健身", not_before=b(2026, 12, 1))),
    ("a", "健身 从周四开始 周六前", Q("健身", not_before=b(2026, 12, 3), due=b(2026, 12, 6))),
    # category, priority, hours, split, after
    ("a", "Taxes #admin", Q("Taxes", category="admin")),
    ("a", "Taxes #行政", Q("Taxes", category="行政")),
    ("a", "Taxes ＃admin", Q("Taxes", category="admin")),
    ("a", "Taxes !1", Q("Taxes", priority=1)),
    ("a", "!4 Taxes", Q("Taxes", priority=4)),
    ("a", "Taxes ！2", Q("Taxes", priority=2)),
    ("a", "Taxes @work", Q("Taxes", hours="work")),
    ("a", "Taxes split 45m-2h", Q("Taxes", split=(m(45), m(120)))),
    ("a", "Taxes split 45m to 2h", Q("Taxes", split=(m(45), m(120)))),
    ("a", "Taxes 拆分 45分钟-2小时", Q("Taxes", split=(m(45), m(120)))),
    ("a", "Taxes 2h split 30m-1h", Q("Taxes", duration=m(120), split=(m(30), m(60)))),
    ("a", "Taxes after cv-update", Q("Taxes", after=("cv-update",))),
    ("a", "Taxes after a,b", Q("Taxes", after=("a", "b"))),
    ("a", "Taxes after:groceries", Q("Taxes", after=("groceries",))),
    ("a", "Taxes after task-1 after task_2", Q("Taxes", after=("task-1", "task_2"))),
    ("a", "报税 cv-update之后", Q("报税", after=("cv-update",))),
    ("a", "报税 在 cv-update 之后", Q("报税", after=("cv-update",))),
    ("a", "报税 在cv-update之后 1小时", Q("报税", after=("cv-update",), duration=m(60))),
    # whole lines, mixed
    ("a", "Prepare Acme interview 3h by wed 13:00 hard #jobsearch !1 split 45m-2h after cv-update",
     Q("Prepare Acme interview", duration=m(180), due=b(2026, 12, 2, 13), hard=True,
       category="jobsearch", priority=1, split=(m(45), m(120)), after=("cv-update",))),
    ("a", "准备 Acme 系统设计面试 3小时 周三13:00前 #jobsearch !1",
     Q("准备 Acme 系统设计面试", duration=m(180), due=b(2026, 12, 2, 13), category="jobsearch",
       priority=1)),
    ("a", "准备 Acme 面试 3h by wed 13:00 #jobsearch",
     Q("准备 Acme 面试", duration=m(180), due=b(2026, 12, 2, 13), category="jobsearch")),
    ("a", "Prepare 面试 2小时 周三前 !2", Q("Prepare 面试", duration=m(120), due=b(2026, 12, 3),
                                         priority=2)),
    ("a", "Review PR 45m by 周五 hard", Q("Review PR", duration=m(45), due=b(2026, 12, 5),
                                         hard=True)),
    ("a", "写周报 1h 明天下午3点前 @work", Q("写周报", duration=m(60), due=b(2026, 12, 1, 15),
                                             hours="work")),
    ("a", "Gym 1h from thu until sat @personal #health !3",
     Q("Gym", duration=m(60), not_before=b(2026, 12, 3), due=b(2026, 12, 6), hours="personal",
       category="health", priority=3)),
    ("a", "Thank-you note 20m after acme-interview by dec 10 12:00",
     Q("Thank-you note", duration=m(20), after=("acme-interview",), due=b(2026, 12, 10, 12))),
    # --- (b) Thu 2026-12-31 22:30 Asia/Shanghai: the year rolls over
    ("b", "Party by tomorrow", Q("Party", due=s(2027, 1, 2))),
    ("b", "Party by tonight 23:30", Q("Party", due=s(2026, 12, 31, 23, 30))),
    ("b", "Party by midnight", Q("Party", due=s(2027, 1, 1))),
    ("b", "Party by 23:00", Q("Party", due=s(2026, 12, 31, 23))),
    ("b", "Party by 22:00", Q("Party", due=s(2027, 1, 1, 22))),
    ("b", "Party by eod", Q("Party", due=s(2027, 1, 1, 17))),
    ("b", "Party by fri", Q("Party", due=s(2027, 1, 2))),
    ("b", "Party by thu", Q("Party", due=s(2027, 1, 1))),
    ("b", "Party by thu 22:00", Q("Party", due=s(2027, 1, 7, 22))),
    ("b", "Party by next mon", Q("Party", due=s(2027, 1, 5))),
    ("b", "Party by dec 31", Q("Party", due=s(2027, 1, 1))),
    ("b", "Party by dec 31 20:00", Q("Party", due=s(2027, 12, 31, 20))),
    ("b", "Party by jan 1", Q("Party", due=s(2027, 1, 2))),
    ("b", "Party by dec 9", Q("Party", due=s(2027, 12, 10))),
    ("b", "Party by 12/31", Q("Party", due=s(2027, 1, 1))),
    ("b", "Party due in 3 days", Q("Party", due=s(2027, 1, 4))),
    ("b", "Party by 2027-01-01 09:00", Q("Party", due=s(2027, 1, 1, 9))),
    ("b", "Party from jan 2", Q("Party", not_before=s(2027, 1, 2))),
    ("b", "派对 明天前", Q("派对", due=s(2027, 1, 2))),
    ("b", "派对 1月5日前", Q("派对", due=s(2027, 1, 6))),
    ("b", "派对 下周一前", Q("派对", due=s(2027, 1, 5))),
    ("b", "派对 今晚11点前", Q("派对", due=s(2026, 12, 31, 23))),
    ("b", "派对 晚上12点前", Q("派对", due=s(2027, 1, 1))),
    ("b", "派对 周五前", Q("派对", due=s(2027, 1, 2))),
    ("b", "派对 这周五前", Q("派对", due=s(2027, 1, 2))),
    ("b", "派对 后天下午3点前 2小时", Q("派对", due=s(2027, 1, 2, 15), duration=m(120))),
    # --- (c) Sat 2026-03-28 10:00 Europe/Berlin; Sunday 02:00-03:00 does not exist
    ("c", "Renew by tomorrow 3:30", Q("Renew", due=b(2026, 3, 29, 3, 30))),
    ("c", "Renew by tomorrow 1:30", Q("Renew", due=b(2026, 3, 29, 1, 30))),
    ("c", "Renew by tomorrow", Q("Renew", due=b(2026, 3, 30))),
    ("c", "Renew by sun", Q("Renew", due=b(2026, 3, 30))),
    ("c", "Renew by sat", Q("Renew", due=b(2026, 3, 29))),
    ("c", "Renew by mon 9:00", Q("Renew", due=b(2026, 3, 30, 9))),
    ("c", "Renew by 9am", Q("Renew", due=b(2026, 3, 29, 9))),
    ("c", "Renew from tomorrow", Q("Renew", not_before=b(2026, 3, 29))),
    ("c", "Renew due in 24 hours", Q("Renew", due=datetime(2026, 3, 29, 9, tzinfo=UTC))),
    ("c", "续期 明天凌晨1点前", Q("续期", due=b(2026, 3, 29, 1))),
    ("c", "续期 明天早上8点前", Q("续期", due=b(2026, 3, 29, 8))),
    ("c", "续期 周日凌晨3点前", Q("续期", due=b(2026, 3, 29, 3))),
]


@pytest.mark.parametrize(("now", "text", "expected"), ROWS, ids=[r[1] for r in ROWS])
def test_lines(now, text, expected):
    """Each line gives exactly these fields; everything else is not given."""
    when, tz = NOWS[now]
    assert parse_quick_add(text, when, tz) == expected


def test_the_table_is_large_and_covers_three_nows():
    assert len(ROWS) >= 150
    assert {r[0] for r in ROWS} >= {"a", "b", "c"}


SLASHES = [
    ("12/09", "mdy", b(2026, 12, 10)),
    ("12/09", "dmy", b(2027, 9, 13)),
    ("9/12", "dmy", b(2026, 12, 10)),
    ("12/09/2026", "mdy", b(2026, 12, 10)),
    ("09/12/2027", "dmy", b(2027, 12, 10)),
    ("13/09", "dmy", b(2027, 9, 14)),
    ("09/13", "auto", b(2027, 9, 14)),
    ("5/5", "auto", b(2027, 5, 6)),
]


@pytest.mark.parametrize(("words", "order", "due"), SLASHES)
def test_slash_dates_follow_the_date_order(words, order, due):
    now, tz = NOWS["a"]
    assert parse_quick_add(f"Pay rent by {words}", now, tz, order) == Q("Pay rent", due=due)


BAD = [
    ("a", "Pay by 12/09", "auto", "due",
     r"`12/09` could be 9 Dec or 12 Sep: write 2026-12-09 or 2027-09-12, or set the date order"),
    ("a", "Pay by 3/4/2027", "auto", "due", r"`3/4/2027` could be 4 Mar or 3 Apr"),
    ("a", "Pay by 13/13", "auto", "due", r"`13/13` is not a month/day or day/month date"),
    ("a", "Pay by 13/09", "mdy", "due", r"`13/09` is not a month/day date"),
    ("a", "Pay by 09/13", "dmy", "due", r"`09/13` is not a day/month date"),
    ("a", "Pay 2h 3h", "auto", "duration", r"duration twice: `2h`, `3h`"),
    ("a", "Pay 2h-3h", "auto", "duration", r"`2h`, `3h`.*split 45m-2h"),
    ("a", "写报告 2小时 3小时", "auto", "duration", r"`2小时`, `3小时`"),
    ("a", "Pay hard", "auto", "hard", r"`hard` marks the due as hard, but the line has no due"),
    ("a", "Pay 2h 必须", "auto", "hard", r"`必须` marks the due as hard"),
    ("a", "Pay by fri by sat", "auto", "due", r"due twice: `by fri`, `by sat`"),
    ("a", "Pay !5", "auto", "priority", r"priority `!5`: write !1 \(highest\)"),
    ("a", "Pay !0", "auto", "priority", r"priority `!0`"),
    ("a", "Pay #a #b", "auto", "category", r"category twice: `#a`, `#b`"),
    ("a", "Pay @a @b", "auto", "hours", r"hours twice: `@a`, `@b`"),
    ("a", "Pay split 45m", "auto", "split", r"`split 45m` needs a range"),
    ("a", "Pay split 2h-45m", "auto", "split", r"`split 2h-45m`: the smallest chunk is larger"),
    ("a", "Pay after fri", "auto", "after", r"`after fri`: .*write `from fri`"),
    ("a", "Pay after 5pm", "auto", "after", r"write `from 5pm`"),
    ("a", "Pay by today 9:00", "auto", "due", r"`by today 9:00` is Mon 30 Nov 2026 09:00, which "
     r"is already past"),
    ("a", "Pay by this mon 9:00", "auto", "due", r"already past"),
    ("a", "Pay by 2026-01-01", "auto", "due", r"`by 2026-01-01` is Thu 01 Jan 2026 24:00 \(end "
     r"of day\), which is already past"),
    ("a", "Pay by feb 30", "auto", "due", r"`feb 30` is not a calendar date"),
    ("a", "Pay by 2026-02-30", "auto", "due", r"`2026-02-30` is not a calendar date"),
    ("a", "Pay by 25:00", "auto", "due", r"`25:00` is not a time of day"),
    ("a", "Pay by 9:75", "auto", "due", r"`9:75` is not a time of day"),
    ("a", "Pay by 13pm", "auto", "due", r"`13pm` is not a time"),
    ("a", "交 3点前", "auto", "due", r"`3点` could be 03:00 or 15:00: write 凌晨3点 or 下午3点"),
    ("a", "交 晚上3点前", "auto", "due", r"`晚上3点`: 晚上 has no 3点"),
    ("a", "Pay 1.33h", "auto", "duration", r"`1.33h` is not a whole number of minutes"),
    ("a", "Pay 0m", "auto", "duration", r"`0m` is no time at all"),
    ("a", "3h #work", "auto", "title", r"no title left"),
    ("a", "by fri", "auto", "title", r"no title left"),
    ("a", "   ", "auto", "title", r"no title left"),
    ("b", "Party by 1/2", "auto", "due",
     r"`1/2` could be 2 Jan or 1 Feb: write 2027-01-02 or 2027-02-01"),
    ("b", "Party by tonight", "auto", "due", r"Thu 31 Dec 2026 20:00, which is already past"),
    ("b", "Party by 2026-12-31 12:00", "auto", "due", r"already past"),
    ("c", "Renew by tomorrow 2:30", "auto", "due",
     r"`tomorrow 2:30` is Sun 29 Mar 2026 02:30, which does not exist in Europe/Berlin \(the "
     r"clocks go forward 1h\): write 01:30 or 03:30"),
    ("c", "续期 明天凌晨2点半前", "auto", "due", r"`明天凌晨2点半` is Sun 29 Mar 2026 02:30, "
     r"which does not exist"),
    ("c", "Renew from sun 2:00", "auto", "not_before", r"does not exist in Europe/Berlin"),
    ("ny", "Vote by tomorrow 1:30", "auto", "due",
     r"`tomorrow 1:30` is Sun 01 Nov 2026 01:30, which happens twice in America/New_York \(the "
     r"clocks go back 1h\): write 2026-11-01T01:30-04:00 for the first or "
     r"2026-11-01T01:30-05:00 for the second"),
]


@pytest.mark.parametrize(("now", "text", "order", "field", "message"), BAD,
                         ids=[r[1] for r in BAD])
def test_ambiguous_or_bad_lines_are_refused(now, text, order, field, message):
    """The error names the words that were the problem and says what to write instead."""
    when, tz = NOWS[now]
    with pytest.raises(InvalidInputError) as caught:
        parse_quick_add(text, when, tz, order)
    assert [i.field for i in caught.value.issues] == [field]
    assert caught.value.issues[0].message == caught.value.issues[0].message.strip()
    assert re.search(message, caught.value.issues[0].message)


def test_every_problem_is_reported_not_just_the_first():
    now, tz = NOWS["a"]
    with pytest.raises(InvalidInputError) as caught:
        parse_quick_add("Pay !5 #a #b by 12/09", now, tz)
    assert sorted(i.field for i in caught.value.issues) == ["category", "due", "priority"]


def test_the_fold_has_an_exact_spelling():
    """Either reading of a repeated time can be written with its offset."""
    now, tz = NOWS["ny"]
    first = parse_quick_add("Vote by 2026-11-01T01:30-04:00", now, tz)
    second = parse_quick_add("Vote by 2026-11-01T01:30-05:00", now, tz)
    assert first.due == datetime(2026, 11, 1, 5, 30, tzinfo=UTC)
    assert second.due == datetime(2026, 11, 1, 6, 30, tzinfo=UTC)


def test_a_bad_date_order_or_a_naive_now_is_refused():
    now, tz = NOWS["a"]
    with pytest.raises(InvalidInputError, match="date order `ymd`"):
        parse_quick_add("Pay", now, tz, "ymd")
    with pytest.raises(ValueError, match="aware"):
        parse_quick_add("Pay", datetime(2026, 11, 30, 10), tz)


def test_returned_datetimes_are_utc():
    now, tz = NOWS["a"]
    task = parse_quick_add("Pay by fri 13:00 from thu", now, tz)
    assert task.due is not None
    assert task.due.tzinfo is UTC
    assert task.not_before is not None
    assert task.not_before.tzinfo is UTC


UNDERSTOOD = [
    ("a", "Prepare Acme interview 3h by wed 13:00 hard #jobsearch !1 split 45m-2h after cv-update",
     [("title", "Prepare Acme interview"), ("duration", "3h"),
      ("due", "Wed 02 Dec 2026 13:00 (hard)"), ("category", "jobsearch"), ("priority", "1"),
      ("split", "45m-2h"), ("after", "cv-update")]),
    ("a", "准备 Acme 系统设计面试 1个半小时 周三前 @work 从明天9:00开始",
     [("title", "准备 Acme 系统设计面试"), ("duration", "1h30m"),
      ("due", "Wed 02 Dec 2026 24:00 (end of day)"), ("hours", "work"),
      ("not_before", "Tue 01 Dec 2026 09:00")]),
    ("a", "Pay rent by 9am", [("title", "Pay rent"), ("due", "Tue 01 Dec 2026 09:00")]),
    ("a", "Call mom", [("title", "Call mom")]),
    ("b", "Party by jan 1 after a,b", [("title", "Party"), ("due", "Fri 01 Jan 2027 24:00 (end of "
                                       "day)"), ("after", "a, b")]),
    ("c", "Renew by tomorrow 3:30", [("title", "Renew"), ("due", "Sun 29 Mar 2026 03:30")]),
]


@pytest.mark.parametrize(("now", "text", "rows"), UNDERSTOOD, ids=[u[1] for u in UNDERSTOOD])
def test_understood_echoes_each_field_with_the_resolved_date(now, text, rows):
    when, tz = NOWS[now]
    assert parse_quick_add(text, when, tz).understood(tz) == rows
