"""The `spacerace` command: load data, serve the API, generate benchmark seeds."""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from spacerace import __version__
from spacerace.loaders.pipeline import load
from spacerace.loaders.problems import LoadError
from spacerace.loaders.progress import ProgressBar
from spacerace.store.connection import StoreUnavailable, database_name
from spacerace.store.settings import Settings, SettingsError
from spacerace.store.writer import open_for_load

APP_FACTORY = "spacerace.api.app:create_app"
"""What each uvicorn worker process imports and calls when serving with --workers."""
LOG_LEVELS = ("critical", "error", "warning", "info", "debug", "trace")
LOG_LEVEL_NUMBERS = dict(zip(LOG_LEVELS, (50, 40, 30, 20, 10, 5), strict=True))
"""uvicorn's numbers for them (its trace is 5)."""


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
    parser.add_argument("--version", action="version", version=f"spacerace {__version__}")
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    load_parser = commands.add_parser(
        "load",
        help="validate seed files (YAML or JSON) or a dataset and write them into MongoDB",
        description="Validate every record under the PATHs (default: SPACERACE_SEEDS, "
        "else the bundled seeds; the astronaut dataset's CSV is recognised by its header), "
        "then make the collections of those sources hold exactly that, all at once. "
        "Nothing is written if any record is invalid; a re-run with the same input changes "
        "nothing; other sources' data is kept. Without MONGODB_URI this writes to an "
        "in-process store that ends with the command (a check of the input).",
    )
    load_parser.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="a seeds folder (with sources/, programs/, missions/, persons/, events/, "
        "launch_sites/), one seed file (.yaml, .yml or .json) inside such a folder, or the "
        "astronaut dataset's astronauts.csv",
    )
    load_parser.add_argument(
        "--dry-run",
        action="store_true",
        help="validate and report what would change against the database; write nothing "
        "(without MONGODB_URI the comparison is with an empty store)",
    )
    load_parser.set_defaults(run=_load)

    serve_parser = commands.add_parser(
        "serve",
        help="serve the GraphQL API with uvicorn",
        description="Serve the API at http://HOST:PORT/graphql (GraphiQL in a browser), "
        "with /healthz and /readyz. Without MONGODB_URI the bundled seeds (or "
        "SPACERACE_SEEDS) are loaded into an in-process store at start-up, one copy per "
        "worker process.",
    )
    serve_parser.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default: %(default)s)"
    )
    serve_parser.add_argument(
        "--port", type=_port, default=8000, help="TCP port (default: %(default)s)"
    )
    serve_parser.add_argument(
        "--workers",
        type=_count,
        default=1,
        metavar="N",
        help=f"worker processes (default: %(default)s); with more than one, each runs "
        f"its own app from {APP_FACTORY}",
    )
    serve_parser.add_argument(
        "--log-level",
        choices=LOG_LEVELS,
        default="info",
        metavar="LEVEL",
        help=f"uvicorn's log level: {', '.join(LOG_LEVELS)} (default: %(default)s)",
    )
    serve_parser.add_argument(
        "--graceful-timeout",
        type=_seconds,
        default=10.0,
        metavar="SECONDS",
        help="on SIGTERM or Ctrl-C, stop accepting connections and wait this long for "
        "requests in flight before closing them (default: %(default)s)",
    )
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


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number") from None
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"a port is between 0 and 65535, got {value}")
    return value


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not 0 <= value <= 3600:
        raise argparse.ArgumentTypeError(f"must be between 0 and 3600 seconds, got {value}")
    return value


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    from spacerace.api import logs
    from spacerace.api.app import create_app
    from spacerace.api.metrics import MULTIPROC_ENV
    from spacerace.api.observe import ObserveSettings
    from spacerace.api.settings import HTTPSettings
    from spacerace.schema.gate import GateSettings
    from spacerace.schema.protocols import ProtocolSettings

    # Every setting, checked before anything starts (each worker reads them again).
    try:
        observe = ObserveSettings.from_env()
        gate_settings = GateSettings.from_env()
        http_settings = HTTPSettings.from_env()
        protocol_settings = ProtocolSettings.from_env()
    except SettingsError as error:
        print(f"spacerace: {error}", file=sys.stderr)
        return 2
    workers: int = args.workers
    where = f"at http://{args.host}:{args.port}/graphql"
    print(f"spacerace {__version__}: serving {settings.shown_uri} {where}", flush=True)
    options: dict[str, Any] = {
        "host": args.host,
        "port": args.port,
        "log_level": args.log_level,
        "timeout_graceful_shutdown": args.graceful_timeout,
        # One format for uvicorn's lines and ours; the app writes the access line.
        "log_config": logs.uvicorn_log_config(
            observe.log_format, LOG_LEVEL_NUMBERS[args.log_level]
        ),
        "access_log": False,
    }
    if workers == 1:
        app = create_app(
            settings,
            gate_settings,
            http_settings=http_settings,
            protocol_settings=protocol_settings,
            observe=observe,
        )
        uvicorn.run(app, **options)
        return 0
    missing = [name for name in ("uvloop", "httptools") if not _importable(name)]
    if missing:
        print(
            f"spacerace: warning: {' and '.join(missing)} not installed; with several "
            "workers on the plain asyncio loop every keep-alive request waits ~40 ms "
            "(install uvicorn[standard])",
            file=sys.stderr,
        )
    if settings.embedded:
        print(f"spacerace: {workers} workers, each with its own copy of the data", flush=True)
    # Each worker process imports the factory and reads the same environment, which
    # main() has already checked. Their metrics meet in PROMETHEUS_MULTIPROC_DIR: a
    # fresh temporary folder unless one is set, removed when the server stops.
    fresh = None
    if observe.metrics and observe.multiprocess_dir is None:
        fresh = tempfile.mkdtemp(prefix="spacerace-metrics-")
        os.environ[MULTIPROC_ENV] = fresh
    if observe.metrics:
        where = os.environ[MULTIPROC_ENV]
        print(f"spacerace: the workers share their metrics in {MULTIPROC_ENV}={where}", flush=True)
    try:
        uvicorn.run(APP_FACTORY, factory=True, workers=workers, **options)
    finally:
        if fresh is not None:
            del os.environ[MULTIPROC_ENV]
            shutil.rmtree(fresh, ignore_errors=True)
    return 0


def _importable(module: str) -> bool:
    from importlib.util import find_spec

    return find_spec(module) is not None


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
    if args.dry_run and settings.embedded:
        print(
            "(Dry run against an empty in-process store, because MONGODB_URI is not set: "
            "every record would be inserted. Set MONGODB_URI to compare with a real "
            "database.)"
        )
    elif args.dry_run:
        print(
            f"(Dry run: compared with database {database_name(settings)!r} at "
            f"{settings.shown_uri}; nothing was written.)"
        )
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
