import { html, type SafeHtml } from '../views/html.js';
import type { JsonSchema, OpenApiDocument, OpenApiOperation } from './openapi.js';

const METHODS = ['get', 'post', 'patch', 'put', 'delete'] as const;

/**
 * The API reference, rendered on the server from the OpenAPI document: every operation with its
 * parameters, body and responses, and the shared schemas. Plain HTML in the site's layout, so it
 * needs no script and no inline style, and the strict CSP stays as it is.
 */
export function referencePage(doc: OpenApiDocument): SafeHtml {
  const operations = Object.entries(doc.paths).flatMap(([path, item]) =>
    METHODS.filter((method) => item[method]).map((method) => ({ path, method, op: item[method]! })),
  );
  return html`<article class="api-reference">
<h1>${doc.info.title} <span class="muted">${doc.info.version}</span></h1>
${paragraphs(doc.info.description ?? '')}
<p>The machine-readable document: <a href="/api/openapi.json"><code>/api/openapi.json</code></a> (OpenAPI 3.1).</p>
<nav aria-label="Operations"><ul class="api-index">
${operations.map(({ path, method, op }) => html`<li><a href="#${anchor(op, method, path)}"><code>${method.toUpperCase()} ${path}</code></a> ${op.summary ?? ''}</li>`)}
</ul></nav>
${(doc.tags ?? []).map(
  (tag) => html`<section>
<h2 id="tag-${tag.name}">${tag.name}</h2>
${tag.description ? html`<p class="muted">${tag.description}</p>` : ''}
${operations.filter(({ op }) => op.tags?.includes(tag.name)).map(({ path, method, op }) => operationSection(path, method, op))}
</section>`,
)}
<section>
<h2 id="schemas">Schemas</h2>
${Object.entries(doc.components?.schemas ?? {}).map(
  ([name, schema]) => html`<h3 id="schema-${name}">${name}</h3>
${schema.description ? html`<p>${schema.description}</p>` : ''}
${fieldsTable(schema)}`,
)}
</section>
</article>`;
}

const anchor = (op: OpenApiOperation, method: string, path: string) => op.operationId ?? `${method}-${path.replace(/\W+/g, '-')}`;

function operationSection(path: string, method: string, op: OpenApiOperation): SafeHtml {
  const auth = !op.security || op.security.length === 0 ? 'no login needed' : op.security.map((entry) => Object.keys(entry)[0]).join(' or ');
  const body = op.requestBody?.content['application/json']?.schema;
  return html`<section class="api-operation">
<h3 id="${anchor(op, method, path)}"><code>${method.toUpperCase()} ${path}</code></h3>
<p><strong>${op.summary ?? ''}</strong> <span class="muted">(${auth})</span></p>
${op.description ? paragraphs(op.description) : ''}
${op.parameters && op.parameters.length > 0
  ? html`<table><caption>Parameters</caption><thead><tr><th scope="col">name</th><th scope="col">in</th><th scope="col">type</th><th scope="col">about</th></tr></thead><tbody>
${op.parameters.map((p) => html`<tr><td><code>${p.name}</code>${p.required ? '' : html` <span class="muted">optional</span>`}</td><td>${p.in}</td><td>${typeOf(p.schema ?? {})}</td><td>${p.description ?? p.schema?.description ?? ''}</td></tr>`)}
</tbody></table>`
  : ''}
${body ? html`<p>Body (<code>application/json</code>${op.requestBody?.required === false ? ', optional' : ''}):</p>${fieldsTable(body)}` : ''}
<table><caption>Responses</caption><thead><tr><th scope="col">status</th><th scope="col">what</th><th scope="col">body</th></tr></thead><tbody>
${Object.entries(op.responses).map(([status, response]) => {
  const [type, content] = Object.entries(response.content ?? {})[0] ?? [];
  return html`<tr><td>${status}</td><td>${response.description ?? ''}</td><td>${content ? html`${typeOf(content.schema)} <span class="muted">${type}</span>` : html`<span class="muted">none</span>`}</td></tr>`;
})}
</tbody></table>
</section>`;
}

function fieldsTable(schema: JsonSchema): SafeHtml {
  if (!schema.properties) return html`<p>${typeOf(schema)}</p>`;
  const required = new Set(schema.required ?? []);
  return html`<table><thead><tr><th scope="col">field</th><th scope="col">type</th><th scope="col">about</th></tr></thead><tbody>
${Object.entries(schema.properties).map(
  ([name, field]) => html`<tr><td><code>${name}</code>${required.has(name) ? '' : html` <span class="muted">optional</span>`}</td><td>${typeOf(field)}</td><td>${field.description ?? ''}${limits(field)}</td></tr>`,
)}
</tbody></table>`;
}

/** A schema's type in a few words, with links to named schemas. */
function typeOf(schema: JsonSchema): SafeHtml {
  if (schema.$ref) {
    const name = schema.$ref.split('/').at(-1)!;
    return html`<a href="#schema-${name}">${name}</a>`;
  }
  if (schema.anyOf) return html`${schema.anyOf.map((part, i) => html`${i > 0 ? ' | ' : ''}${typeOf(part)}`)}`;
  if (schema.const !== undefined) return html`<code>${JSON.stringify(schema.const)}</code>`;
  if (schema.enum) return html`${schema.enum.map((value, i) => html`${i > 0 ? ' | ' : ''}<code>${JSON.stringify(value)}</code>`)}`;
  if (schema.type === 'array') return html`array of ${typeOf(schema.items ?? {})}`;
  if (schema.type === 'object' && schema.properties) return html`object { ${Object.keys(schema.properties).join(', ')} }`;
  if (schema.type === 'object' && typeof schema.additionalProperties === 'object') return html`map of ${typeOf(schema.additionalProperties)}`;
  const type = [schema.type ?? 'any'].flat().join(' | ');
  return html`${type}${schema.format ? ` (${schema.format})` : ''}`;
}

function limits(schema: JsonSchema): SafeHtml {
  const parts = [
    schema.minimum !== undefined ? `min ${schema.minimum}` : '',
    schema.maximum !== undefined ? `max ${schema.maximum}` : '',
    schema.default !== undefined ? `default ${JSON.stringify(schema.default)}` : '',
    schema.pattern ? `pattern ${schema.pattern}` : '',
  ].filter(Boolean);
  return parts.length === 0 ? html`` : html` <span class="muted">(${parts.join(', ')})</span>`;
}

/** Paragraphs of the document's prose, `code` spans and **bold** kept (everything else escaped). */
function paragraphs(text: string): SafeHtml {
  return html`${text.split(/\n\s*\n/).map((paragraph) => html`<p>${inline(paragraph.replace(/\s*\n\s*/g, ' '))}</p>`)}`;
}

function inline(text: string): SafeHtml {
  const parts = text.split(/(`[^`]+`|\*\*[^*]+\*\*)/);
  return html`${parts.map((part) => {
    if (part.startsWith('`') && part.endsWith('`') && part.length > 1) return html`<code>${part.slice(1, -1)}</code>`;
    if (part.startsWith('**') && part.endsWith('**') && part.length > 3) return html`<strong>${part.slice(2, -2)}</strong>`;
    return part;
  })}`;
}
