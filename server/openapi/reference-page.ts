// GET /api/reference: the OpenAPI document rendered as one HTML page, on the server, from the
// document itself: no script and no CDN (the dashboard's CSP allows neither inline code nor other
// origins), so it reads in any browser and with curl.

type Schema = Record<string, unknown>;
type Operation = {
  summary?: string;
  description?: string;
  tags?: string[];
  parameters?: { name: string; in: string; required?: boolean; schema?: Schema; description?: string }[];
  requestBody?: { description?: string; content?: Record<string, { schema?: Schema }> };
  responses?: Record<string, { description?: string; content?: Record<string, { schema?: Schema }> }>;
  security?: Record<string, unknown>[];
};
type Document = { info: { title: string; version: string; description?: string }; paths: Record<string, Record<string, Operation>> };

const escape = (text: unknown) =>
  String(text ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

const json = (schema: unknown) => `<pre>${escape(JSON.stringify(schema, null, 2))}</pre>`;

function content(byType: Record<string, { schema?: Schema }> | undefined): string {
  return Object.entries(byType ?? {})
    .map(([type, { schema }]) => `<details><summary><code>${escape(type)}</code></summary>${schema ? json(schema) : ""}</details>`)
    .join("");
}

function parameters(list: Operation["parameters"]): string {
  if (!list?.length) return "";
  const rows = list
    .map((p) => `<tr><td><code>${escape(p.name)}</code></td><td>${escape(p.in)}</td><td>${p.required ? "yes" : "no"}</td><td>${escape(p.schema?.type ?? (p.schema?.anyOf ? "one of several" : ""))}</td><td>${escape(p.description ?? p.schema?.description ?? "")}</td></tr>`)
    .join("");
  return `<h4>Parameters</h4><table><thead><tr><th>name</th><th>in</th><th>required</th><th>type</th><th>meaning</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function operation(method: string, path: string, op: Operation): string {
  const id = `${method}-${path}`.replace(/[^\w-]/g, "_");
  const access = !op.security?.length ? "public" : op.security.map((s) => Object.keys(s).join(" + ")).join(" or ");
  const responses = Object.entries(op.responses ?? {})
    .map(([status, r]) => `<dt><code>${escape(status)}</code> ${escape(r.description)}</dt><dd>${content(r.content)}</dd>`)
    .join("");
  return `<section id="${escape(id)}">
<h3><code>${escape(method.toUpperCase())} ${escape(path)}</code></h3>
${op.summary ? `<p><strong>${escape(op.summary)}</strong></p>` : ""}${op.description ? `<p>${escape(op.description)}</p>` : ""}
<p>Access: ${escape(access)}</p>
${parameters(op.parameters)}
${op.requestBody ? `<h4>Request body</h4>${op.requestBody.description ? `<p>${escape(op.requestBody.description)}</p>` : ""}${content(op.requestBody.content)}` : ""}
${responses ? `<h4>Responses</h4><dl>${responses}</dl>` : ""}
</section>`;
}

/** The page, generated from the document. */
export function referencePage(document: Document): string {
  const operations = Object.entries(document.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ path, method, op })));
  const index = operations
    .map(({ path, method, op }) => `<li><a href="#${escape(`${method}-${path}`.replace(/[^\w-]/g, "_"))}"><code>${escape(method.toUpperCase())} ${escape(path)}</code></a> ${escape(op.summary ?? "")}</li>`)
    .join("");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(document.info.title)} API reference</title></head>
<body>
<h1>${escape(document.info.title)} API reference <small>${escape(document.info.version)}</small></h1>
<p>${escape(document.info.description)}</p>
<p>The machine-readable document: <a href="/api/openapi.json"><code>/api/openapi.json</code></a> (OpenAPI 3.1).</p>
<ul>${index}</ul>
${operations.map(({ path, method, op }) => operation(method, path, op)).join("\n")}
</body></html>`;
}
