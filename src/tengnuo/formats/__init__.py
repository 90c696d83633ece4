"""Translators between files and the model: planning files, the `--json` plan, iCalendar.

No solving and no SQL here; `yaml`, `pydantic` and `icalendar` stay inside this package.
"""
