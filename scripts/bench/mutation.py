"""Mutation check of the modules where a bug would hurt (issue 15). Run by hand, not in CI.

    .venv/bin/python -m scripts.bench.mutation --module record      # one module
    .venv/bin/python -m scripts.bench.mutation --module all         # every module, one after another
    .venv/bin/python -m scripts.bench.mutation --module queue --list # the mutants, not run
    .venv/bin/python -m scripts.bench.mutation --module queue --only 12 40

A small `ast` mutation tool rather than mutmut 3: mutmut 3 rewrites every function of the
package into a trampoline under mutants/ and runs the whole suite for its stats, which does not
fit a shared 2-core machine; here each mutant is one module rewritten in a private copy of the
tree (the worktree is never touched) and one targeted pytest run (-x) with a timeout, in a fork
of this process (which has imported the third-party libraries once, never the project).
A mutant is killed when that run fails, survives when it passes. A timeout is reported apart
(a loaded machine is slow, not a mutant caught): rerun those with --only and a longer --timeout.
Lines ending in `# pragma: no mutate` are skipped; so are docstrings, annotations, log calls and
message strings (only strings compared with `==`/`in` are mutated).
"""
from __future__ import annotations

import argparse
import ast
import json
import os
import queue
import shutil
import sys
import tempfile
import signal
import time
from pathlib import Path

from scripts.bench._mutants import mutants, mutate

ROOT = Path(__file__).resolve().parents[2]

# module -> (source file, targeted tests): the tests that exercise the module directly, fast ones first
# (pytest -x stops at the first failure, so a killed mutant costs only what runs before it).
MODULES: dict[str, tuple[str, list[str]]] = {
    "record": ("app/contacts/record.py", ["tests/contacts/test_mutation_write_path.py", "tests/contacts/test_contacts.py",
                                           "tests/core/test_write_path.py", "tests/contacts/test_write_group.py",
                                           "tests/organiser/test_ledger.py", "tests/contacts/test_rollups.py",
                                           "tests/api/test_api_bad_input.py"]),
    "validate": ("app/contacts/validate.py", ["tests/contacts/test_mutation_validate.py", "tests/contacts/test_contacts.py",
                                               "tests/api/test_api_outcomes.py", "tests/api/test_api_bad_input.py"]),
    "ledger": ("app/contacts/ledger.py", ["tests/contacts/test_mutation_write_path.py", "tests/organiser/test_ledger.py",
                                           "tests/contacts/test_contacts.py"]),
    "write_group": ("app/contacts/write_group.py", ["tests/contacts/test_mutation_write_path.py",
                                                     "tests/contacts/test_write_group.py", "tests/contacts/test_contacts.py"]),
    # app/auth/access.py became a package: "access" is its doors module (the old file's first half),
    # "holds" its ended holds and late doors, "scope" a team lead's areas.
    "access": ("app/auth/access/doors.py", ["tests/auth/test_mutation_access.py", "tests/auth/test_access.py",
                                            "tests/api/test_api_late.py"]),
    "holds": ("app/auth/access/holds.py", ["tests/auth/test_mutation_access.py", "tests/api/test_api_late.py",
                                           "tests/auth/test_access.py"]),
    "scope": ("app/auth/access/scope.py", ["tests/auth/test_mutation_scope.py", "tests/auth/test_area_scope.py",
                                           "tests/teams/test_lead_powers.py", "tests/events/test_manage.py"]),
    "queue": ("app/phonebank/queue.py", ["tests/phonebank/test_mutation_queue.py",
                                          "tests/phonebank/test_mutation_queue_pg.py",  # skipped on SQLite
                                          "tests/phonebank/test_phonebank_queue.py",
                                          "tests/phonebank/test_phonebank_skips.py",
                                          "tests/phonebank/test_phonebank_dispositions.py",
                                          "tests/pollingday/test_phone_knockup.py"]),
    "strikeoff": ("app/phonebank/strikeoff.py", ["tests/pollingday/test_phone_knockup.py"]),
    "hours": ("app/phonebank/hours.py", ["tests/phonebank/test_mutation_queue.py",
                                          "tests/phonebank/test_phonebank_queue.py"]),
    "outcomes": ("app/api/outcomes.py", ["tests/api/test_mutation_outcomes.py", "tests/api/test_api_outcomes.py",
                                          "tests/api/test_api_bad_input.py", "tests/api/test_api_late.py"]),
    "routing": ("walklists/routing.py", ["tests/walklists/test_mutation_routing.py",
                                         "tests/walklists/test_walklists_routing.py",
                                         "tests/walklists/test_walklists_errors.py",
                                         "tests/walklists/test_walklists_shared_data.py"]),
    "search": ("walklists/_search.py", ["tests/walklists/test_mutation_routing.py",
                                        "tests/walklists/test_walklists_routing.py",
                                        "tests/walklists/test_search_jit.py"]),
    "search_jit": ("walklists/_search_jit.py", ["tests/walklists/test_search_jit.py",
                                                "tests/walklists/test_mutation_routing.py"]),
    "callsheets": ("walklists/callsheets.py", ["tests/walklists/test_walklists_callsheets.py",
                                               "tests/walklists/test_walklists_errors.py"]),
}

def _copy_tree(dest: Path) -> Path:
    ignore = shutil.ignore_patterns(".git", ".venv", ".tools", ".hypothesis", "__pycache__", "mutants", "*.db*")
    shutil.copytree(ROOT, dest, ignore=ignore, symlinks=True)
    for name in (".venv", ".tools"):
        if (ROOT / name).exists():
            (dest / name).symlink_to((ROOT / name).resolve())
    return dest


_PRELOAD = ("pytest", "flask", "flask_login", "flask_wtf", "flask_limiter", "sqlalchemy", "sqlmodel",
            "alembic", "phonenumbers", "shapely", "numpy", "hypothesis", "psycopg", "orjson", "qrcode")


def _preload() -> None:
    """Import the third-party libraries once; each mutant's pytest runs in a fork of this process,
    so only the project's own modules (never imported here) are loaded per mutant."""
    import importlib

    for name in _PRELOAD:
        try:
            importlib.import_module(name)
        except ImportError:
            pass


def _run_tests(tree: Path, tests: list[str], timeout: float) -> str:
    args = ["-x", "-q", "-p", "no:cacheprovider", *tests]
    pid = os.fork()
    if pid == 0:  # the child: a fresh import of the project from the mutated copy
        code = 3
        try:
            os.chdir(tree)
            sys.path.insert(0, str(tree))
            sys.dont_write_bytecode = True
            os.environ.setdefault("LEGWORK_SHARED_DATA", str(ROOT.parent.parent / "shared" / "data"))
            null = os.open(os.devnull, os.O_WRONLY)
            os.dup2(null, 1)
            os.dup2(null, 2)
            import pytest

            code = int(pytest.main(args))
        finally:
            os._exit(code)
    deadline = time.monotonic() + timeout
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return "survived" if os.waitstatus_to_exitcode(status) == 0 else "killed"
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            return "timeout"
        time.sleep(0.05)  # polling the child; nothing to synchronise with


def run_module(name: str, *, only: list[int] | None, timeout: float, tests: list[str] | None = None) -> dict:
    path, default_tests = MODULES[name]
    tests = tests or default_tests
    tests = [t for t in tests if (ROOT / t).exists()]
    source = (ROOT / path).read_text()
    points = [p for p in mutants(source) if not only or p["id"] in only]
    lines = source.splitlines()
    with tempfile.TemporaryDirectory(prefix=f"mut-{name}-") as tmp:
        trees = queue.Queue()
        trees.put(_copy_tree(Path(tmp) / "tree"))
        base = trees.get()
        (base / path).write_text(ast.unparse(ast.parse(source)))
        if _run_tests(base, tests, timeout * 3) != "survived":
            raise SystemExit(f"{name}: the tests fail on the unmutated module; fix that first")
        trees.put(base)

        def one(point):
            tree = trees.get()
            try:
                (tree / path).write_text(mutate(source, point["id"]))
                point["result"] = _run_tests(tree, tests, timeout)
            finally:
                (tree / path).write_text(source)
                trees.put(tree)
            point["code"] = lines[point["line"] - 1].strip() if point["line"] else ""
            print(f"{name} #{point['id']:>3} L{point['line']:<4} {point['result']:<8} {point['what']}",
                  flush=True)

        for point in points:
            one(point)
    counts = {k: sum(p["result"] == k for p in points) for k in ("killed", "timeout", "survived")}
    return {"module": path, "tests": tests, "counts": counts, "mutants": points}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--module", required=True, choices=[*MODULES, "all"])
    parser.add_argument("--only", type=int, nargs="*", help="mutant ids to run (from --list)")
    parser.add_argument("--tests", nargs="*", help="run these tests instead of the module's selection "
                        "(to check that a new test alone kills a mutant)")
    parser.add_argument("--list", action="store_true", help="print the mutants, run nothing")
    parser.add_argument("--timeout", type=float, default=300, help="seconds per mutant before it is reported as a timeout")
    parser.add_argument("--out", type=Path, help="write the results as JSON here")
    args = parser.parse_args(argv)
    names = list(MODULES) if args.module == "all" else [args.module]
    if args.list:
        for name in names:
            source = (ROOT / MODULES[name][0]).read_text()
            for p in mutants(source):
                print(f"{name} #{p['id']:>3} L{p['line']:<4} {p['what']}")
        return
    _preload()
    results = [run_module(n, only=args.only, timeout=args.timeout, tests=args.tests) for n in names]
    for r in results:
        c = r["counts"]
        total = sum(c.values())
        print(f"{r['module']}: {total} mutants, killed {c['killed']}, timeout {c['timeout']}, survived {c['survived']}")
        for p in r["mutants"]:
            if p["result"] == "survived":
                print(f"  survived #{p['id']} L{p['line']} {p['what']}: {p['code']}")
    if args.out:
        args.out.write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
