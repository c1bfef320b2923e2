from kalmia_sdk import init_logger, wrap_anthropic
import anthropic
init_logger(project_name="my-project", base_url="http://localhost:3000")
client = wrap_anthropic(anthropic.Anthropic())
# Every call is now auto-traced
message = client.messages.create(
    model="claude-sonnet-4-20250514",
    max_tokens=1024,
    messages=[{"role": "user", "content": "Hello!"}],
)
