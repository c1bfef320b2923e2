from kalmia_sdk import init_logger, wrap_anthropic, traced
import anthropic, json
init_logger(project_name="weather-agent", base_url="http://localhost:3000")
client = wrap_anthropic(anthropic.Anthropic())
TOOLS = [{
    "name": "get_weather",
    "description": "Get weather for a city",
    "input_schema": {
        "type": "object",
        "properties": {"city": {"type": "string"}},
        "required": ["city"],
    },
}]
@traced(name="weather-agent")
def run_agent(prompt):
    messages = [{"role": "user", "content": prompt}]
    while True:
        response = client.messages.create(
            model="claude-sonnet-4-20250514",
            max_tokens=1024,
            tools=TOOLS,
            messages=messages,
        )
        tool_uses = [b for b in response.content if b.type == "tool_use"]
        if not tool_uses:
            return response.content[0].text
        tool_results = []
        for tool_use in tool_uses:
            # Tool calls are captured as tool spans
            with traced(name=tool_use.name, span_type="tool") as span:
                result = get_weather(tool_use.input["city"])
                span.log(input=tool_use.input, output=result)
            tool_results.append({
                "type": "tool_result",
                "tool_use_id": tool_use.id,
                "content": json.dumps(result),
            })
        messages.append({"role": "assistant",
                         "content": [b.model_dump() for b in response.content]})
        messages.append({"role": "user", "content": tool_results})
run_agent("Compare weather in Tokyo, New York, and San Francisco")
