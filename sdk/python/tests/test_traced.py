"""`traced` in all its forms, read back from a real Kalmia server."""
from __future__ import annotations

import asyncio
import json
from concurrent.futures import ThreadPoolExecutor

import pytest
from sdk_py_helpers import delivered_traces, only_trace

from kalmia_sdk import ContextThread, bind_context, current_span, traced

HELLO = [{"role": "user", "content": "Hello!"}]


def by_name(trace):
    return {span["name"]: span for span in trace["spans"]}


def test_bare_decorator_records_arguments_by_name_and_the_return_value(kalmia_url, project):
    @traced
    def add(a, b, *, scale=1):
        return (a + b) * scale

    assert add(2, 3, scale=10) == 50
    span = only_trace(kalmia_url, project)["spans"][0]
    assert span["name"] == "add" and span["type"] == "function" and span["status"] == "ok"
    assert span["input"] == {"a": 2, "b": 3, "scale": 10}
    assert span["output"] == 50


def test_named_decorator_on_async_def_nests_llm_calls_and_gathered_children(async_openai_client, kalmia_url, project):
    @traced(name="tool-step", span_type="tool")
    async def step(i):
        await asyncio.sleep(0)
        return i * 2

    @traced(name="agent")
    async def agent(prompt):
        await async_openai_client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": prompt}])
        return await asyncio.gather(*(step(i) for i in range(3)))

    assert asyncio.run(agent("hi")) == [0, 2, 4]
    trace = only_trace(kalmia_url, project, spans=5)
    root = [s for s in trace["spans"] if s["name"] == "agent"][0]
    assert root["span_parents"] in ([], None) and root["output"] == [0, 2, 4]
    children = [s for s in trace["spans"] if s is not root]
    assert sorted(s["name"] for s in children) == ["openai.chat.completions.create"] + ["tool-step"] * 3
    assert all(s["span_parents"] == [root["span_id"]] for s in children)
    assert {s["type"] for s in children} == {"llm", "tool"}


def test_generator_span_holds_the_items_and_does_not_leak_between_them(kalmia_url, project):
    seen_inside = []

    @traced
    def numbers(n):
        for i in range(n):
            seen_inside.append(current_span().name)
            yield i

    @traced(name="outer")
    def outer():
        collected = []
        for value in numbers(3):
            collected.append((value, current_span().name))
        return collected

    assert outer() == [(0, "outer"), (1, "outer"), (2, "outer")]
    assert seen_inside == ["numbers"] * 3
    spans = by_name(only_trace(kalmia_url, project, spans=2))
    assert spans["numbers"]["output"] == [0, 1, 2]
    assert spans["numbers"]["span_parents"] == [spans["outer"]["span_id"]]


def test_async_generator_is_traced(kalmia_url, project):
    @traced(name="ticks")
    async def ticks(n):
        for i in range(n):
            assert current_span().name == "ticks"
            yield i

    async def main():
        return [i async for i in ticks(2)]

    assert asyncio.run(main()) == [0, 1]
    span = only_trace(kalmia_url, project)["spans"][0]
    assert span["name"] == "ticks" and span["output"] == [0, 1] and span["status"] == "ok"


def test_context_manager_tool_span_with_log(kalmia_url, project):
    @traced(name="weather-agent")
    def run():
        with traced(name="get_weather", span_type="tool") as span:
            span.log(input={"city": "Tokyo"}, output={"temp_c": 18}, metadata={"unit": "C"}, metrics={"calls": 1})
        return "done"

    run()
    spans = by_name(only_trace(kalmia_url, project, spans=2))
    tool = spans["get_weather"]
    assert tool["type"] == "tool"
    assert tool["input"] == {"city": "Tokyo"} and tool["output"] == {"temp_c": 18}
    assert tool["metadata"]["unit"] == "C"
    assert tool["span_parents"] == [spans["weather-agent"]["span_id"]]


def test_async_with_context_manager(kalmia_url, project):
    async def main():
        async with traced(name="fetch", span_type="tool") as span:
            span.log(output="page")
            assert current_span() is span

    asyncio.run(main())
    span = only_trace(kalmia_url, project)["spans"][0]
    assert span["name"] == "fetch" and span["type"] == "tool" and span["output"] == "page"


def test_an_exception_is_recorded_and_re_raised_unchanged(kalmia_url, project):
    error = KeyError("missing")

    @traced
    def fails():
        raise error

    with pytest.raises(KeyError) as raised:
        fails()
    assert raised.value is error
    span = only_trace(kalmia_url, project)["spans"][0]
    assert span["status"] == "error" and "KeyError" in span["error"]


def test_current_span_outside_any_span_is_a_harmless_no_op():
    span = current_span()
    span.log(input="x", output="y", metadata={"a": 1})
    assert not span and span.id is None


def test_without_traced_each_llm_call_is_its_own_trace(openai_client, kalmia_url, project):
    openai_client.chat.completions.create(model="gpt-4o", messages=HELLO)
    openai_client.chat.completions.create(model="gpt-4o", messages=HELLO)
    traces = delivered_traces(kalmia_url, project, 2)
    assert len(traces) == 2 and all(len(t["spans"]) == 1 for t in traces)


def test_threads_nest_under_the_span_through_context_thread_and_bind_context(kalmia_url, project):
    @traced(span_type="tool")
    def work(i):
        return i

    @traced(name="fan-out")
    def fan_out():
        threads = [ContextThread(target=work, args=(i,)) for i in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        with ThreadPoolExecutor(2) as pool:
            return list(pool.map(bind_context(work), [2, 3]))

    assert fan_out() == [2, 3]
    trace = only_trace(kalmia_url, project, spans=5)
    root = [s for s in trace["spans"] if s["name"] == "fan-out"][0]
    workers = [s for s in trace["spans"] if s["name"] == "work"]
    assert sorted(s["input"]["i"] for s in workers) == [0, 1, 2, 3]
    assert all(s["span_parents"] == [root["span_id"]] for s in workers)


def test_span_log_keeps_fields_it_does_not_know_as_metadata(kalmia_url, project):
    with traced(name="tagged") as span:
        span.log(output=1, flavour=["a"], metadata={"k": "v"})
    stored = only_trace(kalmia_url, project)["spans"][0]
    assert stored["metadata"]["flavour"] == ["a"] and stored["metadata"]["k"] == "v" and stored["output"] == 1


def test_empty_parentheses_and_a_positional_name_work_too(kalmia_url, project):
    @traced()
    def plain():
        return "a"

    @traced("renamed", span_type="task")
    def other():
        return "b"

    @traced(name="outer")
    def outer():
        return plain() + other()

    assert outer() == "ab"
    spans = by_name(only_trace(kalmia_url, project, spans=3))
    assert spans["plain"]["output"] == "a"
    assert spans["renamed"]["type"] == "task" and spans["renamed"]["output"] == "b"


def test_a_generator_left_early_ends_its_span_with_the_items_so_far(kalmia_url, project):
    cleaned_up_in = []

    @traced
    def endless():
        try:
            n = 0
            while True:
                yield n
                n += 1
        finally:
            cleaned_up_in.append(current_span().name)

    for value in endless():
        if value == 2:
            break
    span = only_trace(kalmia_url, project)["spans"][0]
    assert span["status"] == "ok" and span["output"] == [0, 1, 2]
    assert cleaned_up_in == ["endless"]


def test_one_traced_object_entered_by_many_threads_ends_each_threads_own_span(kalmia_url, project):
    import threading

    shared = traced(name="shared-tool", span_type="tool")
    barrier = threading.Barrier(8)

    def work(n):
        with traced(name=f"run-{n}"):
            with shared as span:
                barrier.wait()
                span.log(output=n)
            with traced(name="after"):
                pass

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    traces = delivered_traces(kalmia_url, project, 8, spans_each=3)
    for trace in traces:
        spans = by_name(trace)
        n = int(trace["name"].split("-")[1])
        assert spans["shared-tool"]["output"] == n and spans["shared-tool"]["status"] == "ok"
        # The shared object's exit restored this thread's own current span.
        assert spans["after"]["span_parents"] == [spans[f"run-{n}"]["span_id"]]


def test_an_unknown_span_type_still_records_the_span_as_a_function(kalmia_url, project):
    with pytest.warns(UserWarning, match="span_type='agent'"):
        decorate = traced(name="planner", span_type="agent")

    @decorate
    def plan():
        return "plan"

    plan()
    span = only_trace(kalmia_url, project)["spans"][0]
    assert span["name"] == "planner" and span["type"] == "function" and span["output"] == "plan"


def test_a_very_deeply_nested_input_is_cut_rather_than_losing_the_span(kalmia_url, project):
    deep = current = {}
    for _ in range(100):
        current["next"] = {}
        current = current["next"]

    with traced(name="deep") as span:
        span.log(input=deep, output="kept")
    stored = only_trace(kalmia_url, project)["spans"][0]
    assert stored["output"] == "kept" and "nested too deep" in json.dumps(stored["input"])
