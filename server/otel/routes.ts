import { Elysia, t } from "elysia";
import { answerOf } from "../../db/write/journal/journaled-writer.ts";
import { nameProblem, ROW_BOUNDS } from "../../db/write/row-bounds.ts";
import { rejectionsOf } from "../../db/write/writer.ts";
import type { AppDeps } from "../app-deps.ts";
import { badRequest, HttpError } from "../errors.ts";
import { UNAVAILABLE } from "../http/item-response.ts";
import { LIMITS } from "../http/limits.ts";
import { decodeOtlpJson, OtlpJsonError } from "./decode-otlp-json.ts";
import { decodeOtlpProto } from "./decode-otlp-proto.ts";
import { exportResponse, otlpError, type Encoding } from "./otlp-response.ts";
import { ProtoError } from "./proto-reader.ts";
import { readOtlpBody } from "./read-body.ts";
import { toSpanRows } from "./to-span-rows.ts";
import type { OtlpResourceSpans } from "./otlp-types.ts";
import { answers, body } from "../openapi/describe.ts";

// How long an export waits for its spans to commit; after that they are
// journaled (db/write/journal/) and the exporter is told they were taken. Well under
// the OTel exporters' default 10 s timeout, so a slow database never turns
// into exporter timeouts and retries of spans that were already taken.
const COMMIT_WAIT_MS = 5_000;
const RETRY_AFTER_SECONDS = "5";

function encodingOf(contentType: string | null): Encoding | null {
  const type = (contentType ?? "").split(";")[0]!.trim().toLowerCase();
  if (type === "application/x-protobuf" || type === "application/protobuf") return "protobuf";
  if (type === "application/json") return "json";
  return null;
}

function decode(encoding: Encoding, bytes: Uint8Array): OtlpResourceSpans[] {
  try {
    if (encoding === "protobuf") return decodeOtlpProto(bytes);
    let text: string;
    try {
      text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    } catch {
      throw badRequest("request body is not valid UTF-8");
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (error) {
      throw badRequest(`request body is not valid JSON: ${(error as Error).message}`);
    }
    return decodeOtlpJson(body);
  } catch (error) {
    if (error instanceof ProtoError) throw badRequest(`request body is not a valid OTLP ExportTraceServiceRequest protobuf: ${error.message}`);
    if (error instanceof OtlpJsonError) throw badRequest(`request body is not a valid OTLP/JSON ExportTraceServiceRequest: ${error.message}`);
    throw error;
  }
}

async function ingest(deps: AppDeps, request: Request, encoding: Encoding): Promise<Response> {
  const bytes = await readOtlpBody(request, LIMITS.bodyBytes);
  const projectHeader = request.headers.get("x-kalmia-project");
  const headerProblem = projectHeader ? nameProblem(projectHeader, ROW_BOUNDS.projectChars) : null;
  if (headerProblem) throw badRequest(`the x-kalmia-project header ${headerProblem}`);
  const mapped = toSpanRows(decode(encoding, bytes), projectHeader);
  if (mapped.total > LIMITS.items) throw badRequest(`${mapped.total} spans in one request; the limit is ${LIMITS.items}`);
  const accepted = mapped.total - mapped.errors.length;
  if (mapped.total > 0 && accepted === 0) {
    const first = mapped.errors[0]!;
    throw badRequest(`no valid spans: ${first.path} ${first.message}`);
  }
  const outcomes = await Promise.all(
    [...mapped.byProject].map(([project, rows]) =>
      deps.writer.accept([{ project, source: "otel", rows, traces: [] }], COMMIT_WAIT_MS).then((ack) => ({ outcome: answerOf(ack), rows: rows.length })),
    ),
  );
  if (outcomes.some((o) => o.outcome === "refused")) {
    throw new HttpError(503, "overloaded", "the write buffer is full; retry later");
  }
  if (outcomes.some((o) => o.outcome === "unavailable" || o.outcome === "dropped")) {
    throw new HttpError(503, "unavailable", UNAVAILABLE);
  }
  const refused = outcomes.flatMap((o) => (typeof o.outcome === "object" ? rejectionsOf(o.outcome) : []));
  const rejected = mapped.errors.length + refused.length;
  const first = mapped.errors[0];
  const message = first
    ? `${rejected} span(s) rejected; first: ${first.path} ${first.message}`
    : refused.length
      ? `${refused.length} span(s) could not be stored; first: span ${JSON.stringify(refused[0]!.id)} ${refused[0]!.reason} (${refused[0]!.code})`
      : "";
  return exportResponse(encoding, rejected, message);
}

/**
 * POST /api/v1/otel/v1/traces: OTLP/HTTP trace export (protobuf or JSON,
 * optionally gzipped), so an OTel SDK's exporter only needs this endpoint.
 */
export const otelRoutes = (deps: AppDeps) =>
  new Elysia().post(
    "/api/v1/otel/v1/traces",
    async ({ request }) => {
      const encoding = encodingOf(request.headers.get("content-type"));
      // Errors go in the request's encoding, as OTLP asks; JSON when the
      // caller asks for it or the encoding is unknown.
      const wantsJson = encoding === null || (request.headers.get("accept") ?? "").includes("application/json");
      const errorEncoding: Encoding = wantsJson ? "json" : encoding;
      try {
        if (!encoding) {
          throw new HttpError(
            415,
            "unsupported_media_type",
            `content-type must be application/x-protobuf or application/json, got ${request.headers.get("content-type") ?? "none"}`,
          );
        }
        return await ingest(deps, request, encoding);
      } catch (error) {
        if (!(error instanceof HttpError)) throw error;
        const headers: Record<string, string> = error.status === 503 ? { "retry-after": RETRY_AFTER_SECONDS } : {};
        return otlpError(errorEncoding, error, headers);
      }
    },
    {
      parse: "none",
      detail: {
        summary: "OTLP/HTTP trace export",
        description:
          "An OpenTelemetry ExportTraceServiceRequest, protobuf or JSON, optionally gzipped; GenAI semantic conventions become llm spans. x-kalmia-project picks the project. Errors come in the request's encoding (a google.rpc.Status), JSON when asked.",
        tags: ["ingest"],
        requestBody: body("ExportTraceServiceRequest", { "application/x-protobuf": t.String({ format: "binary" }), "application/json": t.Record(t.String(), t.Unknown()) }),
        responses: answers({
          200: ["taken; partial_success counts and names the spans rejected", { "application/x-protobuf": t.String({ format: "binary" }), "application/json": t.Record(t.String(), t.Unknown()) }],
          400: ["not a valid request, or no valid span"],
          413: ["the body (or what it inflates to) is over the limit"],
          415: ["neither protobuf nor JSON"],
          503: ["the write buffer is full or the server is stopping; retry after Retry-After"],
        }),
      },
    },
  );
