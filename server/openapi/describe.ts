import type { TSchema } from "elysia";

// Helpers for the `detail` of a route (OpenAPI operation fields), where the request bodies and the
// answers are described without Elysia validating them: Kalmia's own readers and validators stay in
// charge of what is accepted, and of the errors that name the field.

type Media = "application/json" | "application/x-protobuf" | "application/x-ndjson" | "text/event-stream" | "text/plain" | "text/html";

/** A request body of these media types, each with its schema. */
export function body(description: string, content: Partial<Record<Media, TSchema>>) {
  return {
    required: true,
    description,
    content: Object.fromEntries(Object.entries(content).map(([type, schema]) => [type, { schema }])),
  } as never;
}

/** The answers, by status: a description, and the body's schema by media type (JSON when a schema alone). */
export function answers(byStatus: Record<number, [description: string, content?: TSchema | Partial<Record<Media, TSchema>>]>) {
  return Object.fromEntries(
    Object.entries(byStatus).map(([status, [description, content]]) => {
      if (!content) return [status, { description }];
      const byType = isSchema(content) ? { "application/json": content } : content;
      return [status, { description, content: Object.fromEntries(Object.entries(byType).map(([type, schema]) => [type, { schema }])) }];
    }),
  ) as never;
}

const isSchema = (value: object): value is TSchema => !Object.keys(value).some((key) => key.includes("/"));

/** The answers of a write that is answered item by item (ingest, spans). */
export const itemAnswers = (noun: string, schemas: { ItemAnswer: TSchema; ItemRefusal: TSchema; ErrorBody: TSchema }) =>
  answers({
    200: [`every ${noun} stored`, schemas.ItemAnswer],
    202: [`not committed within 10 s: kept in the journal on disk, written once the database is back ("queued": true)`, schemas.ItemAnswer],
    207: [`some ${noun} stored; the others named in "errors" with the field at fault`, schemas.ItemAnswer],
    400: [`no ${noun} valid or stored (each named), or a body that is not JSON`, schemas.ItemRefusal],
    413: ["the body is over the limit (10 MiB)", schemas.ErrorBody],
    415: ["the body is not application/json", schemas.ErrorBody],
    503: ["the write buffer is full, or the server is stopping: nothing was taken; retry after Retry-After", schemas.ErrorBody],
  });
