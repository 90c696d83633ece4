"""The CP-SAT model of an Instance: variables, one add_<rule> per hard rule, cost tiers.

Each job has ordered chunk slots (a present literal, start, size); chunks are optional padded
intervals in one NoOverlap (the buffer is folded into the interval length, and events are
already cut out of each job's spans). A chunk lies inside one of its job's spans: through the
start domain for fixed-size chunks, through per-span literals otherwise. Daily and weekly caps
count chunk sizes per day (spans never cross midnight where a cap applies).
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from tengnuo.solver.decode import CHUNK_POINTS, DAY_POINTS, SHORTFALL_POINTS
from tengnuo.solver.instance import Instance, Job
from tengnuo.solver.spans import Span

LinearExpr = cp_model.LinearExprT


@dataclass
class Chunk:
    present: cp_model.IntVar
    start: cp_model.IntVar
    size: cp_model.IntVar
    end: cp_model.IntVar
    interval: cp_model.IntervalVar  # padded by the buffer, for the NoOverlap
    in_span: list[cp_model.IntVar] = field(default_factory=list)  # one per job span, or empty
    day_size: dict[int, LinearExpr] = field(default_factory=dict)  # day index -> slots that day


@dataclass
class JobVars:
    present: cp_model.IntVar
    chunks: list[Chunk]
    end: cp_model.IntVar


@dataclass
class Tiers:
    unscheduled: LinearExpr
    lateness: LinearExpr
    preferences: LinearExpr


class Model:
    """Builds the model. `guards` maps user-level names (`due:acme-prep`) to assumption
    literals when the model is built to explain infeasibility."""

    def __init__(self, inst: Instance, *, guarded: bool = False) -> None:
        self.inst = inst
        self.m = cp_model.CpModel()
        self.guarded = guarded
        self.guards: dict[str, cp_model.IntVar] = {}
        self.jobs = [self._job_vars(j) for j in inst.jobs]
        self.add_no_overlap()
        self.add_chunk_order()
        self.add_after()
        self.add_hard_deadlines()
        self.add_caps()
        self.add_quotas()
        self.tiers = self._tiers()

    # variables -------------------------------------------------------------------------
    def _job_vars(self, job: Job) -> JobVars:
        m = self.m
        lo, hi = self.inst.horizon
        present = m.new_bool_var(f"present:{job.index}")
        if not job.spans:
            m.add(present == 0)
        k_min = math.ceil(job.duration / job.max_chunk) if job.max_chunk else 1
        k_max = job.duration // job.min_chunk if job.split else 1
        chunks = [self._chunk(job, c, present, c < k_min) for c in range(max(k_min, k_max))]
        for a, b in itertools.pairwise(chunks):
            m.add_implication(b.present, a.present)
        if job.split:
            m.add(sum(c.size for c in chunks) == job.duration * present)
        end = m.new_int_var(lo, hi, f"end:{job.index}")
        for c in chunks:
            m.add(end >= c.end).only_enforce_if(c.present)
        return JobVars(present, chunks, end)

    def _chunk(self, job: Job, c: int, job_present: cp_model.IntVar, required: bool) -> Chunk:
        m = self.m
        name = f"{job.index}.{c}"
        present = job_present if required else m.new_bool_var(f"chunk:{name}")
        if not required:
            m.add_implication(present, job_present)
        fixed = not job.split
        size_lo = job.duration if fixed else job.min_chunk
        size_hi = job.duration if fixed else job.max_chunk
        starts = _domain([(s, e - size_lo) for s, e in job.spans if e - s >= size_lo])
        ends = _domain([(s + size_lo, e) for s, e in job.spans if e - s >= size_lo])
        start = m.new_int_var_from_domain(starts, f"start:{name}")
        end = m.new_int_var_from_domain(ends, f"end:{name}")
        size = m.new_int_var(0, size_hi, f"size:{name}")
        m.add(size >= size_lo).only_enforce_if(present)
        m.add(size == 0).only_enforce_if(~present)
        buffer = self.inst.buffer
        padded_end = m.new_int_var(ends.min() + buffer, ends.max() + buffer, f"pad:{name}")
        m.add(padded_end == end + buffer)
        interval = m.new_optional_interval_var(start, size + buffer, padded_end, present,
                                               f"chunk:{name}")
        m.add(end == start + size).only_enforce_if(present)
        chunk = Chunk(present, start, size, end, interval)
        if (not fixed and len(job.spans) > 1) or self._needs_days(job):
            self._span_literals(job, chunk)
        return chunk

    def _needs_days(self, job: Job) -> bool:
        inst = self.inst
        return any(job.index in c.members for c in inst.caps) or any(
            job.index in mn.members for mn in inst.minimums)

    def _span_literals(self, job: Job, chunk: Chunk) -> None:
        """One literal per span the chunk may lie in; also the chunk's size per local day."""
        m, grid = self.m, self.inst.grid
        per_day: dict[int, list[cp_model.IntVar]] = {}
        crossing: list[tuple[Span, cp_model.IntVar]] = []
        for s, e in job.spans:
            lit = m.new_bool_var("")
            m.add(chunk.start >= s).only_enforce_if(lit)
            m.add(chunk.end <= e).only_enforce_if(lit)
            chunk.in_span.append(lit)
            if grid.day_of(s) == grid.day_of(e - 1):
                per_day.setdefault(grid.day_of(s), []).append(lit)
            else:
                crossing.append(((s, e), lit))
        m.add(sum(chunk.in_span) == chunk.present)
        if not self._needs_days(job):
            return
        parts: dict[int, list[LinearExpr]] = {}
        for day, lits in per_day.items():
            parts.setdefault(day, []).append(self._size_if(job, chunk, sum(lits)))
        for span, lit in crossing:
            for day, part in self._crossing_parts(job, chunk, span, lit):
                parts.setdefault(day, []).append(part)
        chunk.day_size = {day: sum(p) for day, p in parts.items()}
        if job.split or crossing:  # redundant: lets the LP see the size is shared out by day
            m.add(sum(chunk.day_size.values()) == chunk.size)

    def _size_if(self, job: Job, chunk: Chunk, on: LinearExpr) -> LinearExpr:
        """The chunk's size when `on` (0 or 1) holds, else 0, as a linear expression."""
        if not job.split:
            return job.duration * on
        size = self.m.new_int_var(0, job.max_chunk, "")
        flag = self.m.new_bool_var("")
        self.m.add(on == flag)
        self.m.add(size == chunk.size).only_enforce_if(flag)
        self.m.add(size == 0).only_enforce_if(~flag)
        return size

    def _crossing_parts(self, job: Job, chunk: Chunk, span: Span,
                        lit: cp_model.IntVar) -> list[tuple[int, LinearExpr]]:
        """A span across midnight: the chunk's minutes on its start day and, when it crosses
        the next midnight, on the day after (FORMAT.md: each day counts its own minutes)."""
        m, grid = self.m, self.inst.grid
        s, e = span
        first, last = grid.day_of(s), grid.day_of(e - 1)
        starts = [m.new_bool_var("") for _ in range(first, last + 1)]
        m.add(sum(starts) == lit)
        out: list[tuple[int, LinearExpr]] = []
        for day, on in zip(range(first, last + 1), starts, strict=True):
            midnight = grid.day_starts[day + 1]
            m.add(chunk.start >= grid.day_starts[day]).only_enforce_if(on)
            m.add(chunk.start < midnight).only_enforce_if(on)
            if day == last:
                out.append((day, self._size_if(job, chunk, on)))
                continue
            over = m.new_int_var(-self.inst.horizon[1], job.max_chunk, "")
            m.add(over == chunk.start + chunk.size - midnight)
            cross = m.new_int_var(0, job.max_chunk, "")
            m.add_max_equality(cross, [0, over])
            spill = m.new_int_var(0, job.max_chunk, "")
            m.add(spill == cross).only_enforce_if(on)
            m.add(spill == 0).only_enforce_if(~on)
            own = cp_model.LinearExpr.weighted_sum([self._size_if(job, chunk, on), spill], [1, -1])
            out += [(day, own), (day + 1, spill)]
        return out

    # hard rules ------------------------------------------------------------------------
    def add_no_overlap(self) -> None:
        intervals = [c.interval for j in self.jobs for c in j.chunks]
        self.m.add_no_overlap(intervals)

    def add_chunk_order(self) -> None:
        gap = self.inst.chunk_gap
        for jv in self.jobs:
            for a, b in zip(jv.chunks, jv.chunks[1:], strict=False):
                self.m.add(b.start >= a.end + gap).only_enforce_if(b.present)

    def add_after(self) -> None:
        for job, jv in zip(self.inst.jobs, self.jobs, strict=True):
            for p in job.preds:
                guard = self._guard(f"after:{self.inst.jobs[p].item_id}>{job.item_id}")
                pv = self.jobs[p]
                cond = [jv.present, *guard]
                self.m.add_bool_and([pv.present]).only_enforce_if(cond)
                self.m.add(jv.chunks[0].start >= pv.end).only_enforce_if(cond)

    def add_hard_deadlines(self) -> None:
        """Hard tasks must be planned. Their spans already stop at the due; in the guarded
        model (built from soft spans) the due is an explicit constraint under its guard."""
        g = self.inst.grid.slot_minutes
        for job, jv in zip(self.inst.jobs, self.jobs, strict=True):
            if job.required:
                self.m.add(jv.present == 1)
            if not job.hard:
                continue
            guard = self._guard(f"due:{job.item_id}")
            self.m.add_bool_and([jv.present]).only_enforce_if(guard)
            if self.guarded and job.due_minute is not None:
                due_slot = math.floor(job.due_minute / g + 1e-9)
                self.m.add(jv.end <= due_slot).only_enforce_if([*guard, jv.present])
        for done in self.inst.done:  # a fixed block already ends after the hard due
            if done.broken:
                never = self.m.new_constant(0)
                self.m.add_bool_and([never]).only_enforce_if(self._guard(f"due:{done.item_id}"))

    def add_caps(self) -> None:
        grid = self.inst.grid
        for cap in self.inst.caps:
            d0, d1 = grid.day_of(cap.start), grid.day_of(cap.end - 1)
            terms = [c.day_size[d] for j in cap.members for c in self.jobs[j].chunks
                     for d in range(d0, d1 + 1) if d in c.day_size]
            if terms:
                self.m.add(sum(terms) <= cap.slots).only_enforce_if(self._guard(cap.name))

    def add_quotas(self) -> None:
        for group, quota in self.inst.quotas.items():
            members = [jv.present for job, jv in zip(self.inst.jobs, self.jobs, strict=True)
                       if job.quota_group == group]
            if members:
                self.m.add(sum(members) <= quota)

    def _guard(self, name: str) -> list[cp_model.IntVar]:
        if not self.guarded:
            return []
        if name not in self.guards:
            self.guards[name] = self.m.new_bool_var(name)
        return [self.guards[name]]

    # cost tiers ------------------------------------------------------------------------
    def _tiers(self) -> Tiers:
        inst, m = self.inst, self.m
        g = inst.grid.slot_minutes
        unscheduled: list[LinearExpr] = []
        lateness: list[LinearExpr] = []
        prefs: list[LinearExpr] = []
        for job, jv in zip(inst.jobs, self.jobs, strict=True):
            if job.quota_group is None:
                unscheduled.append(job.missed_cost * (1 - jv.present))
            if job.kind != "task":
                continue
            horizon_minutes = (inst.horizon[1] + 1) * g
            if job.due_minute is not None and not job.hard:
                due = math.floor(job.due_minute + 1e-9)
                top = max(0, horizon_minutes - due, job.fixed_late)
                late = m.new_int_var(0, top, f"late:{job.index}")
                m.add(late >= g * jv.end - due).only_enforce_if(jv.present)
                m.add(late >= job.fixed_late).only_enforce_if(jv.present)  # kept blocks' end
                lateness.append(job.weight * late)
            prefs.append(DAY_POINTS * job.weight * self._end_day(job, jv))
            prefs.append(CHUNK_POINTS * (sum(c.present for c in jv.chunks) - jv.present))
        for group, quota in inst.quotas.items():
            members = [jv.present for job, jv in zip(inst.jobs, self.jobs, strict=True)
                       if job.quota_group == group]
            unscheduled.append(inst.quota_cost[group] * (quota - sum(members)))
        prefs += self._shortfalls()
        lateness.append(inst.done_lateness)  # done tasks' fixed blocks: a constant
        return Tiers(sum(unscheduled), sum(lateness), sum(prefs))

    def _end_day(self, job: Job, jv: JobVars) -> LinearExpr:
        """Number of local midnights strictly before the job's end: a literal per midnight that
        its spans straddle, a constant for those before its first span or its fixed end."""
        if not job.spans:
            return 0
        first, last = job.spans[0][0], job.spans[-1][1]
        before = 0
        lits = []
        for midnight in self.inst.grid.day_starts[1:]:
            if job.fixed_end is not None and midnight < job.fixed_end:
                before += 1
                continue
            if midnight >= min(last, self.inst.horizon[1]):
                break
            if midnight <= first:
                before += 1
                continue
            after = self.m.new_bool_var("")
            self.m.add(jv.end <= midnight).only_enforce_if([~after, jv.present])
            lits.append(after)
        return sum(lits) + before * jv.present

    def _shortfalls(self) -> list[LinearExpr]:
        inst, m, grid = self.inst, self.m, self.inst.grid
        out: list[LinearExpr] = []
        for mn in inst.minimums:
            d0, d1 = grid.day_of(mn.start), grid.day_of(mn.end - 1)
            got = [c.day_size[d] for j in mn.members for c in self.jobs[j].chunks
                   for d in range(d0, d1 + 1) if d in c.day_size]
            short = m.new_int_var(0, mn.minutes, f"short:{mn.category}:{mn.week}")
            m.add(short >= mn.minutes - grid.slot_minutes * sum(got))
            out.append(SHORTFALL_POINTS * short)
        return out

    # hints and read-back ---------------------------------------------------------------
    def hint(self, chunks: list[list[Span]]) -> None:
        self.m.clear_hints()  # type: ignore[no-untyped-call]
        for job, jv, placed in zip(self.inst.jobs, self.jobs, chunks, strict=True):
            self.m.add_hint(jv.present, bool(placed))
            if placed:
                self.m.add_hint(jv.end, placed[-1][1])
            for i, c in enumerate(jv.chunks):
                here = i < len(placed)
                if c.present is not jv.present:
                    self.m.add_hint(c.present, here)
                if not here:
                    continue
                s, e = placed[i]
                self.m.add_hint(c.start, s)
                self.m.add_hint(c.size, e - s)
                self.m.add_hint(c.end, e)
                for lit, (a, b) in zip(c.in_span, job.spans, strict=False):
                    self.m.add_hint(lit, a <= s and e <= b)

    def complete_hint(self, options_seed: int) -> bool:
        """Extend the hint (plan variables only) to every variable, so CP-SAT starts from it.

        A partial hint is only a suggestion to CP-SAT's search; a complete one is its first
        solution. Returns False when the hint is not a solution (then it stays partial).
        """
        solver = cp_model.CpSolver()
        solver.parameters.fix_variables_to_their_hinted_value = True
        solver.parameters.num_workers = 1
        solver.parameters.random_seed = options_seed
        solver.parameters.max_time_in_seconds = 2.0
        if robust_solve(solver, self.m) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return False
        self.use_solution(solver)
        return True

    def use_solution(self, solver: cp_model.CpSolver) -> None:
        """Hint every variable with its value in `solver`'s last solution."""
        self.m.clear_hints()  # type: ignore[no-untyped-call]
        proto = self.m.proto
        for i in range(len(proto.variables)):
            var = self.m.get_int_var_from_proto_index(i)
            self.m.add_hint(var, solver.value(var))

    def read(self, solver: cp_model.CpSolver) -> list[list[Span]]:
        out = []
        for jv in self.jobs:
            placed = []
            if solver.boolean_value(jv.present):
                for c in jv.chunks:
                    if solver.boolean_value(c.present):
                        placed.append((solver.value(c.start), solver.value(c.end)))
            out.append(sorted(placed))
        return out


def robust_solve(solver: cp_model.CpSolver, model: cp_model.CpModel,
                 reporter: cp_model.CpSolverSolutionCallback | None = None) -> int:
    """Solve, working around a CP-SAT 9.15 crash.

    Measured here: with a solution hint and symmetry detection on, presolving some models with
    identical tasks raises `IndexError: absl::btree_map::at` (tests/solver: a hypothesis case of
    four identical hard tasks). The same solve without symmetry detection is correct.
    """
    try:
        return int(solver.solve(model, reporter))
    except IndexError:
        solver.parameters.symmetry_level = 0
        return int(solver.solve(model, reporter))


def _domain(spans: list[Span]) -> cp_model.Domain:
    valid = [[s, e] for s, e in spans if s <= e]
    if not valid:
        return cp_model.Domain(0, 0)
    return cp_model.Domain.from_intervals(valid)
