"""The one ok/FAIL line printer the fabric test scripts share: tests/run.py
counts these lines, and each script exits non-zero when failures > 0."""

failures = 0


def check(name, cond, detail=""):
    global failures
    print(("ok   " if cond else "FAIL ") + name, flush=True)
    if not cond:
        failures += 1
        if detail:
            print("  | " + str(detail).rstrip().replace("\n", "\n  | "), flush=True)
    return cond
