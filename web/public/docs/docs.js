// The interactive API reference at /docs: a small, dependency-free page served from the console
// bundle (no CDN, no inline script: it works under the console's CSP). It reads /openapi.json
// from the API named in config.json, lists every operation by tag, shows parameters and schemas
// (named components link to their definition) and can send a request with the caller's token.

const el = (tag, attrs = {}, ...children) => {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') node.className = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v);
  }
  for (const c of children.flat()) if (c != null) node.append(c instanceof Node ? c : String(c));
  return node;
};

async function apiBase() {
  try {
    const res = await fetch('../config.json', { cache: 'no-store' });
    if (res.ok) {
      const body = await res.json();
      if (typeof body.apiUrl === 'string') return body.apiUrl.replace(/\/+$/, '');
    }
  } catch {
    // same origin
  }
  return '';
}

function schemaView(schema) {
  const json = JSON.stringify(schema, null, 2);
  const pre = el('pre');
  // Named components become links to their definition below.
  let last = 0;
  for (const m of json.matchAll(/"#\/components\/schemas\/([^"]+)"/g)) {
    pre.append(json.slice(last, m.index));
    pre.append(el('a', { href: `#schema-${m[1]}` }, `"${m[1]}"`));
    last = m.index + m[0].length;
  }
  pre.append(json.slice(last));
  return pre;
}

function operationView(base, path, method, op) {
  const id = op.operationId;
  const params = op.parameters ?? [];
  const body = op.requestBody?.content?.['application/json']?.schema;
  const section = el(
    'section',
    { class: 'op', id: `op-${id}`, 'data-operation-id': id },
    el(
      'h3',
      {},
      el('span', { class: `method m-${method}` }, method),
      el('span', { class: 'path' }, path),
      el('code', {}, id),
    ),
    el('p', {}, op.summary ?? ''),
    el(
      'p',
      { class: 'muted' },
      op['x-required-role'] === 'public' ? 'Public' : `Role: ${op['x-required-role']} or above`,
    ),
  );
  if (params.length)
    section.append(
      el(
        'table',
        {},
        el(
          'tr',
          {},
          el('th', {}, 'Parameter'),
          el('th', {}, 'In'),
          el('th', {}, 'Required'),
          el('th', {}, 'Schema'),
        ),
        params.map((p) =>
          el(
            'tr',
            {},
            el('td', {}, el('code', {}, p.name)),
            el('td', {}, p.in),
            el('td', {}, p.required ? 'yes' : 'no'),
            el('td', {}, el('code', {}, JSON.stringify(p.schema))),
          ),
        ),
      ),
    );
  if (body) section.append(el('details', {}, el('summary', {}, 'Request body'), schemaView(body)));
  for (const [status, response] of Object.entries(op.responses ?? {})) {
    const content = response.content ?? {};
    for (const [type, media] of Object.entries(content))
      section.append(
        el(
          'details',
          {},
          el('summary', {}, `Response ${status} (${type})`),
          schemaView(media.schema),
        ),
      );
  }
  section.append(tryIt(base, path, method, params, body !== undefined));
  return section;
}

function tryIt(base, path, method, params, hasBody) {
  const inputs = new Map();
  const out = el('pre', { 'aria-live': 'polite' });
  const form = el('form', { class: 'try' });
  for (const p of params.filter((p) => p.in === 'path' || p.in === 'query')) {
    const input = el('input', {
      'aria-label': `${p.in} parameter ${p.name}`,
      placeholder: `${p.name} (${p.in})`,
    });
    inputs.set(p, input);
    form.append(input);
  }
  const textarea = hasBody
    ? el('textarea', { rows: '5', 'aria-label': 'JSON request body', placeholder: '{ }' })
    : null;
  if (textarea) form.append(textarea);
  form.append(el('button', { type: 'submit' }, 'Send request'));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    let url = path;
    const query = new URLSearchParams();
    for (const [p, input] of inputs) {
      if (!input.value) continue;
      if (p.in === 'path') url = url.replace(`{${p.name}}`, encodeURIComponent(input.value));
      else query.set(p.name, input.value);
    }
    const token = sessionStorage.getItem('hishamos.docs.token');
    const headers = { accept: 'application/json' };
    if (token) headers.authorization = `Bearer ${token}`;
    if (textarea) headers['content-type'] = 'application/json';
    out.textContent = '…';
    try {
      const res = await fetch(`${base}${url}${query.size ? `?${query}` : ''}`, {
        method: method.toUpperCase(),
        headers,
        body: textarea ? textarea.value || '{}' : undefined,
      });
      const text = await res.text();
      let shown = text;
      try {
        shown = JSON.stringify(JSON.parse(text), null, 2);
      } catch {
        // not JSON
      }
      out.textContent = `HTTP ${res.status} · x-request-id ${res.headers.get('x-request-id') ?? '-'}\n\n${shown}`;
    } catch (e) {
      out.textContent = `request failed: ${e.message}`;
    }
  });
  return el('details', {}, el('summary', {}, 'Try it'), form, out);
}

async function main() {
  const token = document.getElementById('token');
  token.value = sessionStorage.getItem('hishamos.docs.token') ?? '';
  token.addEventListener('input', () =>
    sessionStorage.setItem('hishamos.docs.token', token.value.trim()),
  );
  const base = await apiBase();
  const intro = document.getElementById('intro');
  let doc;
  try {
    const res = await fetch(`${base}/openapi.json`);
    doc = await res.json();
  } catch (e) {
    intro.textContent = `Could not load the API description: ${e.message}`;
    return;
  }
  intro.textContent = `${doc.info.description} Version ${doc.info.version}. `;
  intro.append(el('a', { href: `${base}/openapi.json` }, 'OpenAPI document'));
  const nav = document.getElementById('nav');
  const main = document.getElementById('main');
  const components = doc.components?.schemas ?? {};
  const byTag = new Map();
  for (const [path, ops] of Object.entries(doc.paths))
    for (const [method, op] of Object.entries(ops)) {
      const tag = op.tags?.[0] ?? 'other';
      if (!byTag.has(tag)) byTag.set(tag, []);
      byTag.get(tag).push([path, method, op]);
    }
  for (const [tag, ops] of byTag) {
    nav.append(el('h2', {}, tag));
    main.append(el('h2', { id: `tag-${tag}` }, tag));
    for (const [path, method, op] of ops) {
      nav.append(el('a', { href: `#op-${op.operationId}` }, `${method.toUpperCase()} ${path}`));
      main.append(operationView(base, path, method, op));
    }
  }
  nav.append(el('h2', {}, 'schemas'));
  main.append(el('h2', { id: 'schemas' }, 'Schemas'));
  for (const [name, schema] of Object.entries(components)) {
    nav.append(el('a', { href: `#schema-${name}` }, name));
    main.append(
      el(
        'section',
        { class: 'op', id: `schema-${name}` },
        el('h3', {}, el('span', { class: 'schema-name' }, name)),
        schemaView(schema),
      ),
    );
  }
  document.body.dataset.ready = 'true';
}

void main();
