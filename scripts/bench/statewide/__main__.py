"""python -m scripts.bench.statewide generate --households N --db postgresql://... [--seed S]"""
from __future__ import annotations

import argparse

from .generate import DATA, generate


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python -m scripts.bench.statewide", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    gen = commands.add_parser("generate", help="build a made-up statewide campaign into a fresh database "
                                               "(DROPS the database named in --db first)")
    gen.add_argument("--households", type=int, required=True, help="2500000 is full size; the rest scales with it")
    gen.add_argument("--db", required=True, help="postgresql://postgres@127.0.0.1:5432/DBNAME")
    gen.add_argument("--seed", type=int, default=1)
    gen.add_argument("--data", default=str(DATA), help="the shared data folder (holding cambridge-ma/)")
    args = parser.parse_args(argv)
    if args.households < 1:
        parser.error("--households must be at least 1")
    from pathlib import Path

    generate(households=args.households, url=args.db, seed=args.seed, data=Path(args.data))


if __name__ == "__main__":
    main()
