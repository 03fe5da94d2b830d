"""Per-file kill rates from the last `mutmut run` (reads `mutmut results --all true`).

Usage: .venv/bin/python bench/mutation_summary.py [EQUIVALENT_FILE]

EQUIVALENT_FILE (default bench/equivalent_mutants.txt) lists mutants judged equivalent to
the original (no test could tell them apart), one name a line with a reason after '#';
they are left out of the rate, as the issue asks ("non-equivalent mutants").
"""

from __future__ import annotations

import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MUTMUT = ROOT / ".venv" / "bin" / "mutmut"


def results() -> dict[str, str]:
    """Mutant name -> status (killed, survived, timeout, no tests, …)."""
    out = subprocess.run(
        [str(MUTMUT), "results", "--all", "true"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    found = {}
    for line in out.splitlines():
        name, _, status = line.strip().rpartition(": ")
        if name and "__mutmut_" in name:
            found[name] = status.strip()
    return found


def module_of(name: str) -> str:
    """'service_builder.questions.inputs.xǁTextQuestionǁclean__mutmut_3' -> the module."""
    parts = name.split(".")
    return ".".join(part for part in parts if "__mutmut_" not in part and "ǁ" not in part)


def main() -> int:
    default = ROOT / "bench" / "equivalent_mutants.txt"
    equivalent_file = Path(sys.argv[1]) if len(sys.argv) > 1 else default
    equivalent = set()
    if equivalent_file.exists():
        for line in equivalent_file.read_text(encoding="utf-8").splitlines():
            name = line.split("#", 1)[0].strip()
            if name:
                equivalent.add(name)
    per_module: dict[str, Counter[str]] = defaultdict(Counter)
    for name, status in results().items():
        module = module_of(name)
        if status == "not checked":
            continue  # not in this run (MUTANTS picks which)
        if name in equivalent:
            per_module[module]["equivalent"] += 1
        else:
            per_module[module][status] += 1
    print("| file | mutants | killed | equivalent | survived | kill rate (non-equivalent) |")
    print("|---|---:|---:|---:|---:|---:|")
    for module in sorted(per_module):
        counts = per_module[module]
        killed = counts["killed"] + counts["timeout"]  # a mutant that hangs is caught too
        total = sum(counts.values())
        checked = total - counts["equivalent"]
        rate = 100 * killed / checked if checked else 100.0
        path = module.replace(".", "/") + ".py"
        print(
            f"| `{path}` | {total} | {killed} | {counts['equivalent']} | {checked - killed} "
            f"| {rate:.1f}% |"
        )
    print(
        "\nkilled includes timeouts (a mutant that hangs is caught); survived includes "
        "mutants no selected test runs ('no tests')."
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
