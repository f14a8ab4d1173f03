"""gzip and brotli for large answers.

Qualities chosen on a 4 MB answer like the 10,000-mission tree (BENCHMARKS.md):
brotli at 5 was the smallest of qualities 1, 4, 5 and 6, in about 25 ms; gzip at
6 is zlib's default. Bodies above `THREAD_ABOVE` are compressed in a worker
thread, so one large answer does not hold up the event loop's other requests.
"""

from __future__ import annotations

import gzip

import brotli
from starlette.concurrency import run_in_threadpool

BROTLI_QUALITY = 5
GZIP_LEVEL = 6
THREAD_ABOVE = 256 * 1024


def compress(data: bytes, encoding: str) -> bytes:
    if encoding == "br":
        compressed: bytes = brotli.compress(data, quality=BROTLI_QUALITY)
        return compressed
    if encoding == "gzip":
        return gzip.compress(data, compresslevel=GZIP_LEVEL, mtime=0)
    raise ValueError(f"unknown encoding {encoding!r}")


async def compress_async(data: bytes, encoding: str) -> bytes:
    if len(data) > THREAD_ABOVE:
        return await run_in_threadpool(compress, data, encoding)
    return compress(data, encoding)
