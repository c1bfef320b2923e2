"""A user's script, run in a fresh virtualenv that has only the kalmia-sdk wheel, openai and anthropic:
one wrapped OpenAI call and one wrapped Anthropic call, each its own trace, then a flush."""
import json
import os
import sys

import anthropic
import openai

from kalmia_sdk import __version__, flush, init_logger, wrap_anthropic, wrap_openai

upstream = os.environ["UPSTREAM_URL"]
init_logger(project_name=os.environ["KALMIA_PROJECT"], base_url=os.environ["KALMIA_BASE_URL"])

chat = wrap_openai(openai.OpenAI(base_url=upstream + "/v1", api_key="sk-test"))
completion = chat.chat.completions.create(
    model="gpt-4o-mini",
    messages=[{"role": "user", "content": "Hello from Python %d.%d" % sys.version_info[:2]}],
)

claude = wrap_anthropic(anthropic.Anthropic(base_url=upstream, api_key="sk-ant-test"))
message = claude.messages.create(
    model="claude-sonnet-4-20250514",
    max_tokens=64,
    messages=[{"role": "user", "content": "Hello from Python %d.%d" % sys.version_info[:2]}],
)

print(
    json.dumps(
        {
            "flushed": flush(timeout=15),
            "sdk_version": __version__,
            "python": "%d.%d" % sys.version_info[:2],
            "openai": completion.choices[0].message.content,
            "anthropic": message.content[0].text,
        }
    )
)
