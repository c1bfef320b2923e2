"""Scripts that end right after their last call still deliver every span: at interpreter exit
(on every Python found here, 3.12+ included, where threads cannot start during exit) and in a
forked child."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import textwrap
import time
import uuid
from pathlib import Path

import pytest
from sdk_py_helpers import delivered_traces

SDK = Path(__file__).resolve().parents[1]


def interpreters():
    """This virtualenv's Python, plus other versions when the machine has them (on PATH or pyenv)."""
    found = {sys.executable}
    pyenv = Path.home() / ".pyenv" / "versions"
    for version in ("3.9", "3.12", "3.13"):
        candidates = [str(p / "bin" / "python") for p in sorted(pyenv.glob(f"{version}.*"))] if pyenv.is_dir() else []
        on_path = shutil.which(f"python{version}")
        if on_path and "/shims/" not in on_path:  # a pyenv shim may name a version it cannot run
            candidates.append(on_path)
        usable = [c for c in candidates if os.access(c, os.X_OK)]
        if usable:
            found.add(usable[0])
    return sorted(found)


def run_script(python: str, source: str, env: dict) -> subprocess.CompletedProcess:
    # From a file, not `-c`: multiprocessing's spawn re-imports the main module by path.
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as script:
        script.write(textwrap.dedent(source))
    result = subprocess.run(
        [python, script.name],
        env={**os.environ, "PYTHONPATH": str(SDK), **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    os.unlink(script.name)
    assert result.returncode == 0, result.stderr
    assert result.stderr == "", result.stderr
    return result


@pytest.mark.parametrize("python", interpreters())
def test_a_script_that_exits_right_after_its_last_span_delivers_it(python, kalmia_url):
    project = f"exit-{uuid.uuid4().hex[:10]}"
    run_script(python, """
        import sys
        from kalmia_sdk import init_logger, traced
        init_logger(project_name=PROJECT, base_url=URL)

        @traced(name="last-run")
        def run(n):
            with traced(name="tool", span_type="tool") as span:
                span.log(output=n)
            return n

        for n in range(3):
            run(n)
    """.replace("PROJECT", repr(project)).replace("URL", repr(kalmia_url)), {})
    traces = delivered_traces(kalmia_url, project, 3, spans_each=2)
    assert len(traces) == 3 and all(len(t["spans"]) == 2 and t["status"] == "ok" for t in traces)


def test_a_script_with_wrapped_calls_exiting_via_sys_exit_delivers_every_span(kalmia_url, fake_upstream):
    project = f"exit-{uuid.uuid4().hex[:10]}"
    run_script(sys.executable, f"""
        import sys, openai
        from kalmia_sdk import init_logger, wrap_openai
        init_logger(project_name={project!r}, base_url={kalmia_url!r})
        client = wrap_openai(openai.OpenAI(base_url={fake_upstream + "/v1"!r}, api_key="sk-test"))
        client.chat.completions.create(model="gpt-4o", messages=[{{"role": "user", "content": "Hi"}}])
        stream = client.chat.completions.create(model="gpt-4o", messages=[{{"role": "user", "content": "Hi"}}], stream=True)
        for chunk in stream:
            pass
        sys.exit(0)
    """, {})
    traces = delivered_traces(kalmia_url, project, 2)
    assert len(traces) == 2 and all(t["spans"][0]["output"]["content"] for t in traces)


def test_exit_with_a_hung_collector_still_exits(capture):
    capture.hang.set()
    run_script(sys.executable, f"""
        from kalmia_sdk import init_logger, traced
        init_logger(project_name="hung", base_url={capture.url!r})
        traced(lambda: 1)()
    """, {"KALMIA_FLUSH_TIMEOUT": "0.5"})


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork on this platform")
def test_a_forked_child_delivers_its_own_spans_and_the_parent_keeps_working(kalmia_url):
    project = f"fork-{uuid.uuid4().hex[:10]}"
    run_script(sys.executable, f"""
        import os
        from kalmia_sdk import flush, init_logger, traced
        init_logger(project_name={project!r}, base_url={kalmia_url!r})
        traced(name="before-fork")(lambda: 1)()
        pid = os.fork()
        if pid == 0:
            traced(name="in-child")(lambda: 2)()
            flush(timeout=10)
            os._exit(0)
        _, status = os.waitpid(pid, 0)
        assert status == 0, status
        traced(name="in-parent")(lambda: 3)()
    """, {"PYTHONWARNINGS": "ignore:This process:DeprecationWarning"})  # 3.12+: fork with a thread running
    traces = delivered_traces(kalmia_url, project, 3)
    assert sorted(t["name"] for t in traces) == ["before-fork", "in-child", "in-parent"]


@pytest.mark.parametrize("start_method", ["fork", "spawn"])
def test_multiprocessing_children_deliver_their_spans(kalmia_url, start_method):
    if start_method not in __import__("multiprocessing").get_all_start_methods():
        pytest.skip(f"no {start_method} here")
    project = f"mp-{uuid.uuid4().hex[:10]}"
    run_script(sys.executable, f"""
        import multiprocessing
        from kalmia_sdk import init_logger, traced
        init_logger(project_name={project!r}, base_url={kalmia_url!r})

        @traced(name="child-work")
        def work(n):
            return n * 2

        if __name__ == "__main__":
            ctx = multiprocessing.get_context({start_method!r})
            children = [ctx.Process(target=work, args=(n,)) for n in range(2)]
            for child in children:
                child.start()
            for child in children:
                child.join()
                assert child.exitcode == 0
    """, {})
    traces = delivered_traces(kalmia_url, project, 2)
    assert sorted(t["spans"][0]["output"] for t in traces) == [0, 2]


def test_exit_with_the_server_down_waits_only_a_short_last_chance():
    # KALMIA_FLUSH_TIMEOUT is far beyond the subprocess timeout: the script only finishes in time
    # because a sender already failing gets a short last chance, not the whole exit timeout.
    run_script(sys.executable, """
        from kalmia_sdk import flush, init_logger, traced
        init_logger(project_name="down", base_url="http://127.0.0.1:9")
        traced(lambda: 1)()
        flush(timeout=1)  # the first attempt has failed by now
    """, {"KALMIA_FLUSH_TIMEOUT": "600"})


# The README's promise: at exit the SDK waits at most KALMIA_FLUSH_TIMEOUT (5 s), and at most 1 s once
# the server is failing. What the script does after its last line is the interpreter's own teardown,
# a few milliseconds; the slack below is for that and for a loaded test machine.
EXIT_SLACK = 0.5


def seconds_held_at_exit(base_url: str) -> float:
    """Runs a script that records one span and ends; how long its exit took after its last line."""
    result = run_script(sys.executable, f"""
        import time
        from kalmia_sdk import init_logger, traced
        init_logger(project_name="exit-bound", base_url={base_url!r})
        traced(lambda: 1)()
        print(time.monotonic())
    """, {"KALMIA_FLUSH_TIMEOUT": ""})
    return time.monotonic() - float(result.stdout.strip())


def test_a_hung_server_holds_the_exit_at_most_the_flush_timeout_once():
    # Connections complete in the listen backlog and are never answered.
    hung = socket.socket()
    hung.bind(("127.0.0.1", 0))
    hung.listen(16)
    try:
        held = seconds_held_at_exit(f"http://127.0.0.1:{hung.getsockname()[1]}")
    finally:
        hung.close()
    assert held < 5.0 + EXIT_SLACK, f"exit held {held:.1f} s"


def test_a_server_that_is_down_holds_the_exit_at_most_one_second():
    free = socket.socket()
    free.bind(("127.0.0.1", 0))
    port = free.getsockname()[1]
    free.close()  # nothing listens there now: every connection is refused
    held = seconds_held_at_exit(f"http://127.0.0.1:{port}")
    assert held < 1.0 + EXIT_SLACK, f"exit held {held:.1f} s"
