"""Log lines: plain text (the default) or one JSON object per line, the access line
the app writes for every request, and what keeps secrets out of them.

`spacerace serve` hands uvicorn `uvicorn_log_config(...)`, so uvicorn's own lines
and the app's share one format, and turns uvicorn's access log off: the app's
access line (`api/observe.py`) replaces it. An app made by `create_app` some other
way (`uvicorn --factory`, tests) gets a stderr handler from `ensure_configured`
unless logging is already set up.
"""

from __future__ import annotations

import logging
import re
import sys
import time
from contextvars import ContextVar
from typing import Any

import orjson

from spacerace.store.settings import redact_uri

ACCESS = "spacerace.access"
"""The logger of the access lines (to stdout under `serve`, like uvicorn's)."""
FORMATS = ("text", "json")

REQUEST_ID: ContextVar[str | None] = ContextVar("spacerace_request_id", default=None)
"""The id of the request being answered, for every line logged while answering it."""

_URI = re.compile(r"mongodb(?:\+srv)?://[^\s'\"<>]+")


def redact(text: str) -> str:
    """`text` with the password of every MongoDB URI in it replaced by `***`."""
    if "mongodb" not in text:
        return text
    return _URI.sub(lambda found: redact_uri(found.group(0)), text)


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time (UTC, ISO 8601), level, logger, message, pid,
    the request id when there is one, the access line's fields, and any exception."""

    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, Any] = {
            "time": _utc(record.created),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": redact(record.getMessage()),
            "pid": record.process,
        }
        request_id = REQUEST_ID.get()
        if request_id is not None:
            out["request_id"] = request_id
        access: dict[str, Any] | None = getattr(record, "access", None)
        if access is not None:
            out.update(access)
        if record.exc_info:
            out["exception"] = redact(self.formatException(record.exc_info))
        elif record.exc_text:
            out["exception"] = redact(record.exc_text)
        return orjson.dumps(out, default=str).decode()


class TextFormatter(logging.Formatter):
    """uvicorn's plain layout (`INFO:     message`), then the access line's fields as
    key=value, and the request id of lines logged while answering a request."""

    def format(self, record: logging.LogRecord) -> str:
        line = f"{record.levelname + ':':<9} {redact(record.getMessage())}"
        access: dict[str, Any] | None = getattr(record, "access", None)
        if access is not None:
            line += "".join(
                f" {key}={_text(value)}"
                for key, value in access.items()
                if value is not None and key not in ("method", "path", "status")
            )
        else:
            request_id = REQUEST_ID.get()
            if request_id is not None and request_id not in line:  # the gate names it
                line += f" [request {request_id}]"
        if record.exc_info:
            line += "\n" + redact(self.formatException(record.exc_info))
        return line


def _text(value: Any) -> str:
    if isinstance(value, dict) and "estimate" in value:  # the query's cost
        value = value["estimate"]
    if isinstance(value, float):
        return f"{value:.2f}"
    text = str(value)
    return f'"{text}"' if " " in text or not text else text


def _utc(created: float) -> str:
    whole = int(created)
    millis = int((created - whole) * 1000)
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(whole)) + f".{millis:03d}Z"


def formatter(log_format: str) -> logging.Formatter:
    return JsonFormatter() if log_format == "json" else TextFormatter()


def uvicorn_log_config(log_format: str, level: int) -> dict[str, Any]:
    """uvicorn's `log_config`: its loggers and ours, in one format, errors to stderr
    and access lines to stdout, at `level`."""
    chosen = "JsonFormatter" if log_format == "json" else "TextFormatter"
    factory = {"()": f"{__name__}.{chosen}"}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        # uvicorn sets use_colors on "default" and "access" when told to: keep both names.
        "formatters": {"default": dict(factory), "access": dict(factory)},
        "handlers": {
            "default": {
                "class": "logging.StreamHandler",
                "formatter": "default",
                "stream": "ext://sys.stderr",
            },
            "access": {
                "class": "logging.StreamHandler",
                "formatter": "access",
                "stream": "ext://sys.stdout",
            },
        },
        "loggers": {
            "uvicorn": {"handlers": ["default"], "level": level, "propagate": False},
            "uvicorn.error": {"level": level},
            "uvicorn.access": {"handlers": ["access"], "level": level, "propagate": False},
            "spacerace": {"handlers": ["default"], "level": level, "propagate": False},
            ACCESS: {"handlers": ["access"], "level": level, "propagate": False},
        },
    }


def ensure_configured(log_format: str) -> None:
    """Give the `spacerace` loggers a handler in `log_format` unless logging is set up
    already (by `serve`, by uvicorn's --log-config, by a test's log capture)."""
    ours = logging.getLogger("spacerace")
    if ours.handlers or logging.getLogger().handlers:
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(formatter(log_format))
    ours.addHandler(handler)
    ours.setLevel(logging.INFO)
    ours.propagate = False
