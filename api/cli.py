"""The `spacerace` command: load data, serve the API, generate benchmark seeds."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from spacerace.loaders.pipeline import load
from spacerace.loaders.problems import LoadError
from spacerace.loaders.progress import ProgressBar
from spacerace.store.connection import StoreUnavailable
from spacerace.store.settings import Settings, SettingsError
from spacerace.store.writer import open_for_load


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        settings = Settings.from_env()
    except SettingsError as error:
        print(f"spacerace: {error}", file=sys.stderr)
        return 2
    return int(args.run(args, settings))


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="spacerace",
        description="The Space Race GraphQL API. Reads MONGODB_URI; without it, "
        "uses an in-process store loaded from the bundled seeds.",
    )
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    load_parser = commands.add_parser(
        "load",
        help="validate seed files or a dataset and write them into MongoDB",
        description="Validate every record under PATH (default: the bundled seeds; the "
        "astronaut dataset's CSV is recognised by its header), then make the collections of "
        "those sources hold exactly that, all at once. Nothing is written if any record is "
        "invalid; a re-run with the same input changes nothing; other sources' data is kept.",
    )
    load_parser.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="a seeds folder, a YAML or JSON file in one, or astronauts.csv",
    )
    load_parser.add_argument(
        "--dry-run",
        action="store_true",
        help="validate and report what would change; write nothing",
    )
    load_parser.set_defaults(run=_load)

    serve_parser = commands.add_parser(
        "serve",
        help="serve the GraphQL API with uvicorn",
        description="Serve the API at http://HOST:PORT/graphql (GraphiQL in a browser), "
        "with /healthz and /readyz. Without MONGODB_URI the bundled seeds are loaded into "
        "an in-process store at start-up.",
    )
    serve_parser.add_argument("--host", default="127.0.0.1", help="default: %(default)s")
    serve_parser.add_argument("--port", type=int, default=8000, help="default: %(default)s")
    serve_parser.set_defaults(run=_serve)

    generate_parser = commands.add_parser(
        "generate",
        help="write a large, invented seeds folder for benchmarks",
        description="Write a seeds folder of N invented missions, with programs, people, "
        "events and sources in the proportions of the curated dataset, as JSON files that "
        "`spacerace load` reads. The same N and seed always give the same files. The data "
        "is made up: use it for benchmarks only.",
    )
    generate_parser.add_argument(
        "--missions", type=_count, required=True, metavar="N", help="how many missions"
    )
    generate_parser.add_argument(
        "--seed", type=int, default=0, metavar="S", help="random seed (default: %(default)s)"
    )
    generate_parser.add_argument(
        "--out",
        type=Path,
        required=True,
        metavar="DIR",
        help="the folder to write; it must not exist or be empty",
    )
    generate_parser.set_defaults(run=_generate)
    return parser


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    from spacerace.api.app import create_app

    where = "the bundled seeds, in process" if settings.embedded else settings.mongodb_uri
    print(f"spacerace: serving {where} at http://{args.host}:{args.port}/graphql", flush=True)
    uvicorn.run(create_app(settings), host=args.host, port=args.port, log_level="info")
    return 0


def _load(args: argparse.Namespace, settings: Settings) -> int:
    paths = args.paths or [str(settings.seeds_path)]
    try:
        db = open_for_load(settings)
        try:
            report = load(db, paths, dry_run=args.dry_run, progress=ProgressBar())
        finally:
            db.client.close()
    except (LoadError, StoreUnavailable) as error:
        print(f"spacerace: {error}", file=sys.stderr)
        return 1
    for note in report.notes:
        print(note)
    print(report.table())
    verb = "would change" if args.dry_run else "changed"
    steps = ", ".join(f"{step} {seconds:.1f} s" for step, seconds in report.timings.items())
    print(f"{report.changes} documents {verb}.")
    print(f"Time: {steps}.")
    if settings.embedded and not args.dry_run:
        print(
            "(MONGODB_URI is not set: this wrote to an in-process store that ends with "
            "this command; set MONGODB_URI to load a real server.)"
        )
    return 0


def _generate(args: argparse.Namespace, settings: Settings) -> int:
    out: Path = args.out
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        print(
            f"spacerace: {out} is not an empty folder; generate writes only into a new "
            "or empty one",
            file=sys.stderr,
        )
        return 1
    try:
        # The generator makes benchmark data: it lives with the benchmarks, in a
        # checkout of the project, not in the installed package.
        from benchmarks.generate import generate
    except ImportError:
        print(
            "spacerace: generate needs a checkout of the project (its benchmarks/ folder); "
            "it is not part of the installed package",
            file=sys.stderr,
        )
        return 2
    counts = generate(args.missions, out, seed=args.seed)
    print(f"spacerace: wrote an invented dataset (seed {args.seed}) to {out}:")
    for name, count in counts.items():
        print(f"  {name:<10}{count:>9}")
    print(f"Load it with: spacerace load {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
