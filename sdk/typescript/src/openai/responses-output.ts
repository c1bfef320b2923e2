import { responsesUsageMetrics } from "./openai-usage.ts";
import type { ResponseObject } from "./types.ts";

/** A Response as span output: its output items; a failed or incomplete one also as the error. */
export function responseOutput(response: ResponseObject) {
  const failed = response.status === "failed" || response.status === "incomplete";
  return {
    output: response.output,
    error: failed ? (response.error ?? response.incomplete_details ?? response.status) : undefined,
    metadata: { response_id: response.id, response_status: response.status },
    metrics: responsesUsageMetrics(response.usage),
  };
}
