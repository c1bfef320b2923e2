/** Yields the lines of an NDJSON response as they arrive, holding one partial line at most. */
export async function* ndjsonLines(response: Response): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let carry = "";
  for await (const chunk of response.body!) {
    const text = carry + decoder.decode(chunk, { stream: true });
    const lines = text.split("\n");
    carry = lines.pop()!;
    for (const line of lines) if (line) yield line;
  }
  if (carry) yield carry;
}
