export { initLogger, flush, type Logger } from "./logger.ts";
export type { InitLoggerOptions } from "./config.ts";
export type { FlushResult, SenderStats } from "./sender/background-sender.ts";
export { traced, type TracedOptions } from "./traced.ts";
export { currentSpan } from "./context.ts";
export type { Span, SpanType, SpanStatus, SpanLogEvent, SpanEndEvent } from "./span/span-types.ts";
export { wrapOpenAI } from "./openai/wrap-openai.ts";
export { wrapAnthropic } from "./anthropic/wrap-anthropic.ts";
export { kalmiaTelemetry, type KalmiaTelemetry } from "./vercel-ai/kalmia-telemetry.ts";
