from kalmia_sdk import init_logger, wrap_anthropic, traced
import anthropic
# 1. Point traces at your Kalmia instance
init_logger(project_name="my-agent", base_url="http://localhost:3000")
# 2. Wrap your client — every LLM call is now auto-traced
client = wrap_anthropic(anthropic.Anthropic())
# 3. Use traced() to group calls into one trace
@traced(name="my-agent-run")
def run(prompt):
    response = client.messages.create(
        model="claude-sonnet-4-20250514",
        max_tokens=1024,
        messages=[{"role": "user", "content": prompt}],
    )
    return response.content[0].text
run("What is the capital of France?")
