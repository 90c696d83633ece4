"""The domain model: plain frozen dataclasses and pure functions; stdlib only, no I/O.

Invariant: every datetime held by the model (events, dues, windows, blocks, `Problem.start`) is an
aware datetime in UTC. Python compares and subtracts two datetimes of the same zone on the wall
clock, which is wrong across DST changes; UTC inside and local time only at the edges (files,
display) avoids that whole class of bug. `horizon.local_time` turns a wall-clock time into UTC.

Must not import anything outside `tengnuo.model` and `tengnuo.errors`.
"""
