import type { Server } from "bun";
import { Elysia, t } from "elysia";
import type { AppDeps } from "../app-deps.ts";
import { ANTHROPIC, OPENAI, type Provider } from "./providers.ts";
import { proxyOptionsFromEnv, type ProxyOptions } from "./proxy-options.ts";
import { anthropicMessages, openaiChat, openaiEmbeddings, openaiResponses, type RecordedEndpoint } from "./recorded-endpoints.ts";
import { createRelay } from "./relay.ts";
import { answers, body } from "../openapi/describe.ts";
import { ProviderBody } from "../openapi/schemas.ts";

type Route = {
  method: "GET" | "POST";
  paths: string[];
  /** Anthropic's and OpenAI's model lists share a path: the caller's `anthropic-version` header tells them apart. */
  provider: Provider | "by-header";
  /** `:id` is the path's own `:id` segment (a model's id). */
  upstreamPath: string;
  endpoint: RecordedEndpoint | null;
};

// The Anthropic SDK appends /v1/messages to its base URL, so the docs' base_url ".../api/v1" arrives
// as /api/v1/v1/messages; both spellings are served.
const ROUTES: Route[] = [
  { method: "POST", paths: ["/api/v1/chat/completions"], provider: OPENAI, upstreamPath: "/chat/completions", endpoint: openaiChat },
  { method: "POST", paths: ["/api/v1/responses"], provider: OPENAI, upstreamPath: "/responses", endpoint: openaiResponses },
  { method: "POST", paths: ["/api/v1/embeddings"], provider: OPENAI, upstreamPath: "/embeddings", endpoint: openaiEmbeddings },
  // Read endpoints pass through unrecorded: they hold no model call.
  { method: "GET", paths: ["/api/v1/models"], provider: "by-header", upstreamPath: "/models", endpoint: null },
  { method: "GET", paths: ["/api/v1/models/:id"], provider: "by-header", upstreamPath: "/models/:id", endpoint: null },
  { method: "GET", paths: ["/api/v1/v1/models"], provider: ANTHROPIC, upstreamPath: "/v1/models", endpoint: null },
  { method: "GET", paths: ["/api/v1/v1/models/:id"], provider: ANTHROPIC, upstreamPath: "/v1/models/:id", endpoint: null },
  { method: "POST", paths: ["/api/v1/messages", "/api/v1/v1/messages"], provider: ANTHROPIC, upstreamPath: "/v1/messages", endpoint: anthropicMessages },
  { method: "POST", paths: ["/api/v1/messages/count_tokens", "/api/v1/v1/messages/count_tokens"], provider: ANTHROPIC, upstreamPath: "/v1/messages/count_tokens", endpoint: null },
];

/** The OpenAI and Anthropic logging proxy: every call forwarded at once, recorded on the side. */
export function proxyRoutes(deps: AppDeps, options: ProxyOptions = proxyOptionsFromEnv()) {
  const relay = createRelay(
    deps.writer,
    options,
    (change) => {
      if (deps.bus.subscriberCount() > 0) deps.bus.publishProgress(change());
    },
    deps.metrics.proxyCall,
  );
  const baseOf = (provider: Provider) => (provider === OPENAI ? deps.config.openaiBaseUrl : deps.config.anthropicBaseUrl);
  const app = new Elysia();
  for (const route of ROUTES) {
    for (const path of route.paths) {
      const handle = ({ request, server, params }: { request: Request; server: Server<unknown> | null; params: Record<string, string> }) => {
        // Elysia serves with a 30 s idle timeout: a stream that goes quiet that long (a model thinking
        // mid-answer) would be reset (seen at 32 s without this line).
        server?.timeout(request, 0);
        const { pathname, search } = new URL(request.url);
        const provider = route.provider === "by-header" ? (request.headers.has("anthropic-version") ? ANTHROPIC : OPENAI) : route.provider;
        const upstreamPath = route.upstreamPath.replace(":id", encodeURIComponent(params?.id ?? ""));
        // Anthropic's paths carry their /v1 (its base URL has none); OpenAI's base URL ends in /v1.
        const path = provider === ANTHROPIC && !upstreamPath.startsWith("/v1/") ? `/v1${upstreamPath}` : upstreamPath;
        const url = `${baseOf(provider)}${path}${search}`;
        return relay(request, { provider, url, path: pathname, endpoint: route.endpoint });
      };
      if (route.method === "GET") app.get(path, handle, { detail: proxyDetail(route) });
      else app.post(path, handle, { parse: "none", detail: proxyDetail(route) });
    }
  }
  return app;
}

// Headers, not a `headers` schema: Elysia would then build a headers object on every proxied call.
const CONTEXT_HEADERS = [
  ["x-kalmia-project", "the project (default: default)"],
  ["x-kalmia-trace-id", "the trace to record the call in (default: a new one, or a W3C traceparent's)"],
  ["x-kalmia-parent-span-id", "the span the call is recorded under"],
  ["x-kalmia-name", "the recorded span's name"],
  ["x-kalmia-metadata", "a JSON object of metadata"],
].map(([name, description]) => ({ name, in: "header", required: false, description, schema: t.String() }));

/** A proxied route as the OpenAPI document describes it (the document is made from this table). */
function proxyDetail(route: Route) {
  const recorded = route.endpoint !== null;
  const provider = route.provider === "by-header" ? "OpenAI (Anthropic with an anthropic-version header)" : route.provider.name;
  return {
    summary: `${provider} ${route.upstreamPath}${recorded ? "" : " (pass-through)"}`,
    description: `Forwarded at once to the ${provider} upstream's ${route.upstreamPath} with the caller's credentials (never stored); the answer comes back as it arrives, streams included.${recorded ? " Recorded as an llm span; the answer carries x-kalmia-trace-id." : " Not recorded."} Kalmia's own key, when the server has keys, goes in x-kalmia-api-key.`,
    tags: ["proxy"],
    parameters: CONTEXT_HEADERS as never,
    ...(route.method === "POST" ? { requestBody: body("the provider's request", { "application/json": ProviderBody }) } : {}),
    responses: answers({
      200: ["the provider's answer, as it is (its own errors pass through with their status)"],
      400: ["a body that is not JSON, or a bad x-kalmia-* header (in the provider's error shape)"],
      413: ["the body is over the proxy's limit"],
      502: ["the upstream could not be reached, or closed before the answer was complete"],
      504: ["the upstream did not answer in time"],
    }),
  };
}
