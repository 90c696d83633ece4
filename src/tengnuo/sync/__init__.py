"""Sync with calendars: storages (memory, CalDAV), the sync status, and the two-way sync.

Imports `tengnuo.model`, `tengnuo.formats`, `tengnuo.store` and `tengnuo.errors`; `caldav`
only in `storage_caldav.py`, sqlite3 only in `status.py`.
"""
