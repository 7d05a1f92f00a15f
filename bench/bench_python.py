#!/usr/bin/python3
"""bench_python.py: issue 10's "10,000 hires from Python vs C".

Runs the same hires through the C API (bench_hires) and through the Python
binding, interleaved (C, Python, C, Python …), each round on a fresh copy of
the same template ledger, and prints the rates, their medians and spread, and
the ratio Python/C per round (goal: >= 0.9): by the wall clock and by CPU
time (each side's own process over the same hires: the steadier figure on a
shared machine, where the wall clock also counts the other jobs).

    bench_python.py BENCH_HIRES [N] [ROUNDS]

The bianzhi package must be importable (./bz bench puts the build's
bindings/python first on PYTHONPATH). Person k's ID number is the one
bench_hires.c makes: region 6212xx (02 + k // 1000), born 1990-01-01,
sequence k % 1000, GB 11643 check character.
"""
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

import bianzhi

PER_TXN = 1000
UNITS = 100
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def id_number(k: int) -> str:
    body = "6212%02d19900101%03d" % (2 + k // 1000, k % 1000)
    return body + "10X98765432"[sum(int(c) * w for c, w in zip(body, WEIGHTS)) % 11]


def read_spec(path: str):
    doc, units = None, []
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if parts[0] == "doc":
                doc = parts[1]
            elif parts[0] == "unit":
                units.append((parts[1], parts[2]))
    return doc, units


def python_hires(path: str, doc: str, units, n: int) -> float:
    ids = [id_number(k) for k in range(n)]  # the numbers are data, not the binding's work
    with bianzhi.open(path, create=False) as ledger:
        t0, c0 = time.perf_counter(), time.process_time()
        for start in range(0, n, PER_TXN):
            with ledger.transaction("bench", "武都区机构编制委员会办公室", document=doc) as t:
                for k in range(start, min(start + PER_TXN, n)):
                    unit, slip = units[k % len(units)]
                    person = t.register_person(ids[k], "某人")
                    t.enter(person, unit, "XZ", slip, bianzhi.EntryKind.RECRUIT, "2024-03-01")
        c1 = time.process_time()
        return time.perf_counter() - t0, c1 - c0


def c_hires(exe: str, path: str, spec: str, n: int):
    """(wall seconds, CPU seconds) of bench_hires's hires, as it measures them: "seconds W cpu C"."""
    out = subprocess.run([exe, "hires", path, spec, str(n), str(PER_TXN)], check=True,
                         capture_output=True, text=True).stdout.split()
    return float(out[1]), float(out[3])


def main() -> int:
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    exe = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 10000
    rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    tmp = tempfile.mkdtemp(prefix="bench_python.")
    try:
        template, spec = os.path.join(tmp, "template.ledger"), os.path.join(tmp, "spec.txt")
        with open(spec, "w", encoding="utf-8") as f:
            subprocess.run([exe, "setup", template, str(UNITS)], check=True, stdout=f)
        doc, units = read_spec(spec)
        c_rate, py_rate, ratio, c_cpu, py_cpu, cpu_ratio = [], [], [], [], [], []
        for r in range(rounds):
            rates, cpu = {}, {}
            for side in ("c", "python"):
                path = os.path.join(tmp, "%s-%d.ledger" % (side, r))
                shutil.copyfile(template, path)
                secs, cpu_secs = c_hires(exe, path, spec, n) if side == "c" else python_hires(path, doc, units, n)
                rates[side] = n / secs
                cpu[side] = n / cpu_secs
                for suffix in ("", "-wal", "-shm"):
                    if os.path.exists(path + suffix):
                        os.remove(path + suffix)
            c_rate.append(rates["c"])
            py_rate.append(rates["python"])
            ratio.append(rates["python"] / rates["c"])
            c_cpu.append(cpu["c"])
            py_cpu.append(cpu["python"])
            cpu_ratio.append(cpu["python"] / cpu["c"])
            print("  round %d: C %.0f hires/s, Python %.0f hires/s, ratio %.2f;"
                  " per CPU second C %.0f, Python %.0f, ratio %.2f"
                  % (r + 1, rates["c"], rates["python"], ratio[-1], cpu["c"], cpu["python"], cpu_ratio[-1]))

        def fmt(v):
            return "%.0f /s (%.0f–%.0f)" % (statistics.median(v), min(v), max(v))
        print("| %s hires from Python vs C, %d per transaction, %d units | Python %s | C %s | %.2f (%.2f–%.2f) | ≥ 0.9 |"
              % (format(n, ","), PER_TXN, UNITS, fmt(py_rate), fmt(c_rate), statistics.median(ratio), min(ratio),
                 max(ratio)))
        print("| the same per CPU second (each side's process) | Python %s | C %s | %.2f (%.2f–%.2f) | ≥ 0.9 |"
              % (fmt(py_cpu), fmt(c_cpu), statistics.median(cpu_ratio), min(cpu_ratio), max(cpu_ratio)))
        return 0
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
