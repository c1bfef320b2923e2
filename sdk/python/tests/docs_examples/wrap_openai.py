from kalmia_sdk import init_logger, wrap_openai
import openai
init_logger(project_name="my-project", base_url="http://localhost:3000")
client = wrap_openai(openai.OpenAI())
# Every call is now auto-traced
response = client.chat.completions.create(
    model="gpt-4o",
    messages=[{"role": "user", "content": "Hello!"}],
)
