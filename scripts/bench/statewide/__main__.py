"""python -m scripts.bench.statewide generate --households N --db postgresql://... [--seed S]
python -m scripts.bench.statewide ballots --db postgresql://... [--share 0.3] [--seed 1]
python -m scripts.bench.statewide pages --db postgresql://... [--repeat N] [--json FILE] [--queue N]"""
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
    ballots = commands.add_parser("ballots", help="give a generated state an election's mail ballots "
                                                  "(REPLACES every ballot status in --db)")
    ballots.add_argument("--db", required=True)
    ballots.add_argument("--share", type=float, default=0.3, help="of the people, who have a ballot (0..1)")
    ballots.add_argument("--seed", type=int, default=1)
    pages = commands.add_parser("pages", help="time the hot organiser pages, universe counts and a 4,000-door cut "
                                              "on a generated state (single user, test client)")
    pages.add_argument("--db", required=True)
    pages.add_argument("--repeat", type=int, default=10)
    pages.add_argument("--json", help="also write the figures to this file")
    pages.add_argument("--queue", type=int, default=0, help="first put this many people in the call queue if it is "
                                                            "empty (WRITES: give --db a copy of the state)")
    pages.add_argument("--only", action="append", help="time only what this text names (repeatable): "
                                                       "a page path, 'universe', 'cut_area'")
    args = parser.parse_args(argv)
    if args.command == "ballots":
        if not 0 <= args.share <= 1:
            parser.error("--share must be between 0 and 1")
        from .ballots import run as load_ballots

        load_ballots(args.db, share=args.share, seed=args.seed)
        return
    if args.command == "pages":
        import json

        from .pages import run

        result = run(args.db, args.repeat, args.only, args.queue)
        if args.json:
            with open(args.json, "w") as handle:
                json.dump(result, handle, indent=1)
        return
    if args.households < 1:
        parser.error("--households must be at least 1")
    from pathlib import Path

    generate(households=args.households, url=args.db, seed=args.seed, data=Path(args.data))


if __name__ == "__main__":
    main()
