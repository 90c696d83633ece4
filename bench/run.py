"""Benchmarks: the heuristic alone against the full engine, measured side by side in one run.

Every instance goes through the normal path (planning-file text → load → solve) and every plan
is validated by the independent checker. Each case runs in its own process so that its peak
memory is its own. Prints a table; never asserts a time.

    python bench/run.py            # everything (about 6 minutes on 2 cores)
    python bench/run.py --quick    # job-hunt, fortnight, 3 wt40 instances
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import generate

from tengnuo.check import check
from tengnuo.formats.planfile import loads_planfile
from tengnuo.model.plan import Plan
from tengnuo.solver import Progress, SolveOptions, solve

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"


def planfile_text(name: str) -> tuple[str, Path]:
    if name == "job-hunt":
        path = ROOT / "examples" / "job-hunt.yaml"
        return path.read_text(encoding="utf-8"), path.parent
    if name == "fortnight":
        return generate.dump(generate.fortnight()), ROOT
    if name == "weeks8":
        return generate.dump(generate.weeks8()), ROOT
    kind, _, index = name.partition(":")
    if kind == "wt40":
        p, w, d = generate.read_orlib(DATA / "wt40-sample.txt")[int(index)]
    else:  # "orlib:TF:RDD:seed"
        tf, rdd, seed = index.split(":")
        p, w, d = generate.orlib_instance(40, float(tf), float(rdd), int(seed))
    return generate.dump(generate.weighted_tardiness(p, w, d)), ROOT


def run_case(name: str, limit: float, use_cp_sat: bool) -> dict[str, Any]:
    text, base = planfile_text(name)
    problem = loads_planfile(text, f"{name}.yaml", base)
    first: list[float] = []

    def progress(p: Progress) -> None:
        if not first:
            first.append(p.elapsed_seconds)

    started = time.perf_counter()
    plan = solve(problem, SolveOptions(time_limit_seconds=limit, workers=2, seed=0,
                                       use_cp_sat=use_cp_sat), progress)
    seconds = time.perf_counter() - started
    violations = check(problem, plan, hard_as_soft=plan.status == "infeasible")
    return {"seconds": round(seconds, 2), "first_plan": round(first[0], 3) if first else None,
            "status": str(plan.status), "tiers": _tiers(plan), "bound_tiers": _bound(plan),
            "violations": len(violations),
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024}


def _tiers(plan: Plan) -> list[int]:
    return [plan.cost.unscheduled, plan.cost.lateness, plan.cost.preferences]


def _bound(plan: Plan) -> str:
    if plan.bound == plan.cost.total:
        return "= cost (optimal)"
    return "none proved" if plan.bound == 0 else f"gap {plan.cost.total - plan.bound:,}"


def in_subprocess(name: str, limit: float, use_cp_sat: bool) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, __file__, "--case", name, "--limit", str(limit),
         *([] if use_cp_sat else ["--heuristic"])],
        capture_output=True, text=True, check=True)
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def row(label: str, limit: float, note: str = "") -> list[str]:
    base = in_subprocess(label, limit, use_cp_sat=False)
    full = in_subprocess(label, limit, use_cp_sat=True)
    ratios = [_ratio(f, b) for f, b in zip(full["tiers"], base["tiers"], strict=True)]
    return [label, f"{base['first_plan']}s", _fmt(base["tiers"]), f"{base['seconds']}s",
            _fmt(full["tiers"]), " / ".join(ratios), f"{full['seconds']}s", full["status"],
            full["bound_tiers"], str(full["peak_mb"]), str(base["violations"] + full["violations"]),
            note]


def _ratio(full: int, base: int) -> str:
    return "1.00" if full == base else ("0" if base == 0 else f"{full / base:.3f}")


def _fmt(tiers: list[int]) -> str:
    return "/".join(f"{t:,}" for t in tiers)


HEADER = ["instance", "1st plan", "heuristic U/L/P", "h time", "engine U/L/P",
          "engine÷heuristic", "e time", "status", "bound", "peak MB", "viol", "note"]


def main() -> None:
    args = _args()
    if args.case:
        print(json.dumps(run_case(args.case, args.limit, not args.heuristic)))
        return
    rows = [row("job-hunt", 10), row("fortnight", 10)]
    if not args.quick:
        rows.append(row("weeks8", 10))
    optima = [int(x) for x in (DATA / "wt40-sample-opt.txt").read_text().split()]
    for i, opt in enumerate(optima[: 3 if args.quick else 10]):
        quick = in_subprocess(f"wt40:{i}", 1, use_cp_sat=True)
        rows.append(row(f"wt40:{i}", 10, f"optimum {opt:,}; engine at 1 s: "
                                         f"{quick['tiers'][1]:,} in {quick['seconds']}s"))
    if not args.quick:
        for tf, rdd in ((0.6, 0.2), (0.8, 0.4), (0.4, 0.8)):
            label = f"orlib:{tf}:{rdd}:7"
            ref = in_subprocess(label, 60, use_cp_sat=False)["tiers"][1]
            rows.append(row(label, 10, f"60 s reference {ref:,}"))
    _print(rows)


def _print(rows: list[list[str]]) -> None:
    widths = [max(len(r[i]) for r in [HEADER, *rows]) for i in range(len(HEADER))]
    for r in [HEADER, *rows]:
        print("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip())


def _args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--case")
    parser.add_argument("--limit", type=float, default=10.0)
    parser.add_argument("--heuristic", action="store_true")
    return parser.parse_args()


if __name__ == "__main__":
    main()
