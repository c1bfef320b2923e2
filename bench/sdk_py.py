"""Python SDK overhead on the caller's path.

    .venv/bin/python bench/sdk_py.py            (from the repo root)

1. `traced` on an empty function vs the bare function.
2. A wrapped OpenAI / Anthropic call vs the unwrapped call, isolated: the provider method is
   replaced by one that returns a real response object (recorded from the fake upstream) at once,
   so the difference is exactly the SDK's own work per call. Streams: one full pass over a
   recorded stream's real chunk objects.
3. End to end against the fake upstream over HTTP (wrapped vs unwrapped, interleaved): the same
   overhead, buried in network noise; shown so the isolated numbers can be sanity-checked.

Spans go to a collector in another process that answers 200, so the SDK's sender thread does its
real work (JSON encoding, HTTP) during the measurements. Rows are flushed between rounds (not
timed) so the bounded queue never fills and drops never flatter the numbers.
"""
from __future__ import annotations

import asyncio
import os
import platform
import re
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any, Callable, Dict, List

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "sdk" / "python"))

import anthropic  # noqa: E402
import openai  # noqa: E402

import kalmia_sdk  # noqa: E402
from kalmia_sdk import traced  # noqa: E402

HELLO = [{"role": "user", "content": "Hello!"}]
SINK = """
import http.server, sys
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.send_response(200); self.send_header("Content-Length", "2"); self.end_headers(); self.wfile.write(b"{}")
    def log_message(self, *a): pass
s = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
print(s.server_address[1], flush=True)
s.serve_forever()
"""


def start(args: List[str], pattern: str, env: Dict[str, str]) -> tuple:
    proc = subprocess.Popen(args, cwd=REPO, env={**os.environ, **env}, stdout=subprocess.PIPE, text=True)
    for line in proc.stdout:  # type: ignore[union-attr]
        match = re.search(pattern, line)
        if match:
            # Keep reading: a child whose stdout pipe fills up blocks on its next write.
            threading.Thread(target=lambda: [None for _ in proc.stdout], daemon=True).start()
            return proc, match.group(1)
    raise RuntimeError(f"{args} did not start")


def percentiles(samples_ns: List[int]) -> Dict[str, float]:
    ordered = sorted(samples_ns)
    return {
        "p50": ordered[len(ordered) // 2] / 1000,
        "p99": ordered[int(len(ordered) * 0.99)] / 1000,
    }


def measure(bare: Callable[[], Any], wrapped: Callable[[], Any], calls: int, rounds: int = 10) -> tuple:
    """Bare and wrapped calls alternate, so a change in machine load hits both alike."""
    samples: tuple = ([], [])
    clock = time.perf_counter_ns
    for _ in range(rounds):
        for _ in range(calls // rounds):
            for fn, out in ((bare, samples[0]), (wrapped, samples[1])):
                t0 = clock()
                fn()
                out.append(clock() - t0)
        kalmia_sdk.flush(timeout=30)
    return samples


def compare(name: str, bare: Callable[[], Any], wrapped: Callable[[], Any], calls: int, rows: list) -> None:
    measure(bare, wrapped, calls // 10, 1)  # warm-up
    bare_ns, wrapped_ns = measure(bare, wrapped, calls)
    b, w = percentiles(bare_ns), percentiles(wrapped_ns)
    rows.append((name, b, w, {k: w[k] - b[k] for k in b}))


class ReplayStream:
    """Stands in for the provider's Stream with the same `_iterator` / `close` / `response` shape
    (the shape the SDK observes), replaying recorded chunk objects."""

    response = None

    def __init__(self, items: List[Any]) -> None:
        self._iterator = iter(items)

    def __next__(self) -> Any:
        return self._iterator.__next__()

    def __iter__(self):
        for item in self._iterator:
            yield item

    def close(self) -> None:
        pass


def instant(value_factory: Callable[[], Any]) -> Callable[..., Any]:
    def create(*args: Any, **kwargs: Any) -> Any:
        return value_factory()

    return create


def isolated_rows(fake: str, calls: int, rows: list) -> None:
    oa = openai.OpenAI(base_url=f"{fake}/v1", api_key="sk-test")
    an = anthropic.Anthropic(base_url=fake, api_key="sk-ant-test")
    completion = oa.chat.completions.create(model="gpt-4o", messages=HELLO)
    chunks = list(oa.chat.completions.create(model="gpt-4o", messages=HELLO, stream=True))
    message = an.messages.create(model="claude-sonnet-4-20250514", max_tokens=64, messages=HELLO)
    events = list(an.messages.create(model="claude-sonnet-4-20250514", max_tokens=64, messages=HELLO, stream=True))

    for label, client_factory, resource_path, response, kwargs in [
        ("openai chat.completions.create", lambda: openai.OpenAI(api_key="x"), ("chat", "completions"),
         lambda: completion, {"model": "gpt-4o", "messages": HELLO}),
        (f"openai chat stream ({len(chunks)} chunks, read fully)", lambda: openai.OpenAI(api_key="x"),
         ("chat", "completions"), lambda: ReplayStream(chunks), {"model": "gpt-4o", "messages": HELLO, "stream": True}),
        ("anthropic messages.create", lambda: anthropic.Anthropic(api_key="x"), ("messages",),
         lambda: message, {"model": "claude-sonnet-4-20250514", "max_tokens": 64, "messages": HELLO}),
        (f"anthropic stream ({len(events)} events, read fully)", lambda: anthropic.Anthropic(api_key="x"),
         ("messages",), lambda: ReplayStream(events),
         {"model": "claude-sonnet-4-20250514", "max_tokens": 64, "messages": HELLO, "stream": True}),
    ]:
        bare_client, wrapped_client = client_factory(), client_factory()
        for client in (bare_client, wrapped_client):
            resource = client
            for part in resource_path:
                resource = getattr(resource, part)
            resource.create = instant(response)  # before wrapping: the wrapper wraps this
        kalmia_sdk.wrap_openai(wrapped_client) if "openai" in label else kalmia_sdk.wrap_anthropic(wrapped_client)

        def call(client, resource_path=resource_path, kwargs=kwargs):
            resource = client
            for part in resource_path:
                resource = getattr(resource, part)
            result = resource.create(**kwargs)
            if kwargs.get("stream"):
                for _ in result:
                    pass
            return result

        compare(label, lambda: call(bare_client), lambda: call(wrapped_client), calls, rows)


def end_to_end(fake: str, calls: int) -> Dict[str, Dict[str, float]]:
    bare = openai.OpenAI(base_url=f"{fake}/v1", api_key="sk-test")
    wrapped = kalmia_sdk.wrap_openai(openai.OpenAI(base_url=f"{fake}/v1", api_key="sk-test"))
    samples: Dict[str, List[int]] = {"unwrapped": [], "wrapped": []}
    for i in range(calls * 2 + 20):
        client, key = (bare, "unwrapped") if i % 2 == 0 else (wrapped, "wrapped")
        t0 = time.perf_counter_ns()
        client.chat.completions.create(model="gpt-4o", messages=HELLO)
        if i >= 20:
            samples[key].append(time.perf_counter_ns() - t0)
    kalmia_sdk.flush(timeout=30)
    return {k: percentiles(v) for k, v in samples.items()}


def main() -> None:
    bun = str(REPO / "node_modules" / ".bin" / "bun")
    fake_proc, fake = start([bun, "test/fake-upstream/main.ts"], r"listening on (http://\S+)", {"PORT": "0"})
    sink_proc, sink_port = start([sys.executable, "-c", SINK], r"(\d+)", {})
    try:
        kalmia_sdk.init_logger(project_name="bench", base_url=f"http://127.0.0.1:{sink_port}")
        rows: list = []

        def empty() -> None:
            pass

        compare("traced, empty def", empty, traced(empty), 50_000, rows)

        async def empty_async() -> None:
            pass

        traced_async = traced(empty_async)
        loop = asyncio.new_event_loop()
        compare("traced, empty async def (awaited)", lambda: loop.run_until_complete(empty_async()),
                lambda: loop.run_until_complete(traced_async()), 20_000, rows)

        def with_block() -> None:
            with traced(name="tool", span_type="tool") as span:
                span.log(input={"city": "Tokyo"}, output={"temp_c": 18})

        def bare_block() -> None:
            pass

        compare("with traced(...) as span + span.log", bare_block, with_block, 50_000, rows)
        isolated_rows(fake, 20_000, rows)
        e2e = end_to_end(fake, 300)
        logger = kalmia_sdk._logger.current_logger()
        report(rows, e2e, logger)
    finally:
        fake_proc.terminate()
        sink_proc.terminate()


def report(rows: list, e2e: Dict[str, Dict[str, float]], logger: Any) -> None:
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"{platform.system()} {platform.release()}, Python {platform.python_version()}")
    print(f"openai {openai.__version__}, anthropic {anthropic.__version__}; rows dropped: {logger.dropped}\n")
    print("| what | bare p50 / p99 (µs) | with SDK p50 / p99 (µs) | overhead p50 / p99 (µs) |")
    print("|---|---|---|---|")
    for name, b, w, d in rows:
        print(f"| {name} | {b['p50']:.1f} / {b['p99']:.1f} | {w['p50']:.1f} / {w['p99']:.1f} | "
              f"**{d['p50']:.1f}** / **{d['p99']:.1f}** |")
    u, w = e2e["unwrapped"], e2e["wrapped"]
    print(f"\nEnd to end over HTTP against the fake upstream (chat.completions.create, 300 each, interleaved): "
          f"unwrapped p50 {u['p50']:.0f} µs / p99 {u['p99']:.0f} µs; wrapped p50 {w['p50']:.0f} µs / p99 {w['p99']:.0f} µs "
          f"(difference p50 {w['p50'] - u['p50']:.0f} µs: within network noise).")
    print(f"\nmedian of per-call overhead p50s: {statistics.median(d['p50'] for _, _, _, d in rows):.1f} µs")


if __name__ == "__main__":
    main()
