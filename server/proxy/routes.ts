import type { Server } from "bun";
import { Elysia } from "elysia";
import type { AppDeps } from "../app-deps.ts";
import { ANTHROPIC, OPENAI, type Provider } from "./providers.ts";
import { proxyOptionsFromEnv, type ProxyOptions } from "./proxy-options.ts";
import { anthropicMessages, openaiChat, openaiResponses, type RecordedEndpoint } from "./recorded-endpoints.ts";
import { createRelay } from "./relay.ts";

type Route = { method: "GET" | "POST"; paths: string[]; provider: Provider; upstreamPath: string; endpoint: RecordedEndpoint | null };

// The Anthropic SDK appends /v1/messages to its base URL, so the docs' base_url ".../api/v1" arrives
// as /api/v1/v1/messages; both spellings are served.
const ROUTES: Route[] = [
  { method: "POST", paths: ["/api/v1/chat/completions"], provider: OPENAI, upstreamPath: "/chat/completions", endpoint: openaiChat },
  { method: "POST", paths: ["/api/v1/responses"], provider: OPENAI, upstreamPath: "/responses", endpoint: openaiResponses },
  { method: "POST", paths: ["/api/v1/embeddings"], provider: OPENAI, upstreamPath: "/embeddings", endpoint: null },
  { method: "GET", paths: ["/api/v1/models"], provider: OPENAI, upstreamPath: "/models", endpoint: null },
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
      const handle = ({ request, server }: { request: Request; server: Server<unknown> | null }) => {
        // Elysia serves with a 30 s idle timeout: a stream that goes quiet that long (a model thinking
        // mid-answer) would be reset (seen at 32 s without this line).
        server?.timeout(request, 0);
        const { pathname, search } = new URL(request.url);
        const url = `${baseOf(route.provider)}${route.upstreamPath}${search}`;
        return relay(request, { provider: route.provider, url, path: pathname, endpoint: route.endpoint });
      };
      if (route.method === "GET") app.get(path, handle);
      else app.post(path, handle, { parse: "none" });
    }
  }
  return app;
}
