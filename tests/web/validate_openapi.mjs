// The OpenAPI document of a running `arxivc serve` (ARXIVC_URL), checked against the server itself:
// - it is a valid OpenAPI 3 document (@apidevtools/swagger-parser; a broken copy must be rejected, so
//   the validator is known to be awake);
// - every route the server has (its endpoint table in src/serve/endpoints.cpp, and every route label
//   it reports in /metrics) is documented with its method;
// - every documented operation answers something other than 404/405, with a documented status, and
//   its JSON answers have the documented shape; other methods on documented paths answer 405;
// - with an API key (ARXIVC_API_KEY, the server started with --api-key), operations that document 401
//   answer 401 without the key and the others do not;
// - errors are Problem JSON with a `detail`.
//
//   ARXIVC_URL=http://127.0.0.1:PORT [ARXIVC_API_KEY=K] node tests/web/validate_openapi.mjs
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';

const sourceDir = process.env.ARXIVC_SOURCE_DIR ||
  path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(path.join(sourceDir, 'web', 'package.json'));
const SwaggerParser = require('@apidevtools/swagger-parser');

const baseUrl = process.env.ARXIVC_URL;
if (!baseUrl) throw new Error('set ARXIVC_URL to a running arxivc serve (http://127.0.0.1:PORT)');
const apiKey = process.env.ARXIVC_API_KEY || '';
const dataDir = process.env.ARXIVC_DATA_DIR || path.join(sourceDir, '..', 'shared', 'data');
const METHODS = ['get', 'post', 'put', 'delete', 'patch'];

const failures = [];
function check(condition, message) {
  if (!condition) failures.push(message);
}
function log(message) {
  console.log(`[validate_openapi] ${message}`);
}

async function request(method, urlPath, { body, key = apiKey, contentType = 'application/json' } = {}) {
  const headers = {};
  if (key) headers.Authorization = `Bearer ${key}`;
  if (body !== undefined) headers['Content-Type'] = contentType;
  const response = await fetch(`${baseUrl}${urlPath}`, {
    method: method.toUpperCase(),
    headers,
    body: body === undefined ? undefined : (typeof body === 'string' ? body : JSON.stringify(body)),
  });
  const text = await response.text();
  return { status: response.status, type: response.headers.get('content-type') || '', text };
}

// Routes the server declares: the endpoint table of its source, "/static/" prefixes as "/static/{path}".
function routesFromSource() {
  const file = path.join(sourceDir, 'src', 'serve', 'endpoints.cpp');
  const source = readFileSync(file, 'utf8');
  const routes = [];
  const pattern = /EndpointSpec\{\s*Endpoint::\w+\s*,\s*"([A-Z]+)"\s*,\s*"([^"]+)"\s*(?:,\s*(true|false))?/g;
  for (const m of source.matchAll(pattern)) {
    routes.push({ method: m[1].toLowerCase(), path: m[3] === 'true' ? `${m[2]}{path}` : m[2] });
  }
  if (routes.length < 5) throw new Error(`found only ${routes.length} routes in ${file}: has its table changed shape?`);
  return routes;
}

// Route labels the running server reports in its metrics (every route it has answered or declares).
function routesFromMetrics(metricsText) {
  const routes = new Set();
  for (const m of metricsText.matchAll(/route="([^"]*)"/g)) {
    if (m[1] !== 'unmatched') routes.add(m[1]);
  }
  return routes;
}

// A small structural check of a JSON value against a dereferenced OpenAPI schema: types, required
// properties, enums, items and nested properties (enough to catch a document that drifted from the code).
function schemaErrors(value, schema, where = '$') {
  if (!schema || typeof schema !== 'object') return [];
  if (schema.allOf) return schema.allOf.flatMap((s) => schemaErrors(value, s, where));
  for (const key of ['oneOf', 'anyOf']) {
    if (schema[key]) {
      return schema[key].some((s) => schemaErrors(value, s, where).length === 0) ? []
        : [`${where}: matches none of ${key}`];
    }
  }
  if (value === null) return schema.nullable ? [] : [`${where}: null but not nullable`];
  const errors = [];
  const type = schema.type;
  const actual = Array.isArray(value) ? 'array' : typeof value;
  if (type === 'integer') {
    if (!Number.isInteger(value)) errors.push(`${where}: expected integer, got ${JSON.stringify(value)}`);
  } else if (type === 'number') {
    if (actual !== 'number') errors.push(`${where}: expected number, got ${actual}`);
  } else if (type && type !== actual) {
    errors.push(`${where}: expected ${type}, got ${actual}`);
    return errors;
  }
  if (schema.enum && !schema.enum.includes(value)) errors.push(`${where}: ${JSON.stringify(value)} not in enum`);
  if (actual === 'array' && schema.items) {
    value.slice(0, 20).forEach((item, i) => errors.push(...schemaErrors(item, schema.items, `${where}[${i}]`)));
  }
  if (actual === 'object' && !Array.isArray(value)) {
    for (const name of schema.required || []) {
      if (!(name in value)) errors.push(`${where}: missing required property '${name}'`);
    }
    for (const [name, sub] of Object.entries(schema.properties || {})) {
      if (name in value) errors.push(...schemaErrors(value[name], sub, `${where}.${name}`));
    }
  }
  return errors;
}

function realPapers(count) {
  const lines = readFileSync(path.join(dataDir, 'arxiv-metadata-5k.json'), 'utf8').split('\n');
  return lines.filter((l) => l.trim()).slice(0, count).map((l) => JSON.parse(l))
    .map((p) => ({ id: p.id, title: p.title, abstract: p.abstract }));
}

// Request bodies for documented operations: real papers where the schema asks for paper text, else
// the schema's own example.
function requestBodyFor(operation, papers) {
  const content = operation.requestBody && operation.requestBody.content;
  if (!content) return undefined;
  const media = content['application/json'];
  if (!media) return undefined;
  if (media.example !== undefined) return media.example;
  const schema = media.schema || {};
  if (schema.example !== undefined) return schema.example;
  const properties = schema.properties || {};
  if (properties.papers) return { papers: papers.slice(0, 3) };
  if (properties.title || properties.abstract) return { title: papers[0].title, abstract: papers[0].abstract };
  return {};
}

// A concrete path for a templated one: {path} becomes a file the web directory is known to hold.
function concretePath(templated) {
  const known = {
    '/static/{path}': '/static/app.js',
    '/vendor/{path}': '/vendor/redoc/bundles/redoc.standalone.js',
  };
  if (known[templated]) return known[templated];
  if (templated.includes('{')) throw new Error(`no concrete value known for the path parameters of ${templated}`);
  return templated;
}

function documentedStatus(operation, status) {
  const responses = operation.responses || {};
  return String(status) in responses || `${String(status)[0]}XX` in responses || 'default' in responses;
}

function expectProblem(answer, what) {
  check(answer.type.startsWith('application/problem+json'),
    `${what}: answered ${answer.status} as '${answer.type}', not application/problem+json`);
  try {
    const problem = JSON.parse(answer.text);
    check(typeof problem.detail === 'string' && problem.detail.length > 0, `${what}: problem without a detail`);
    check(problem.status === undefined || problem.status === answer.status,
      `${what}: problem status ${problem.status} differs from the HTTP status ${answer.status}`);
  } catch (err) {
    failures.push(`${what}: error body is not JSON (${err.message}): ${answer.text.slice(0, 200)}`);
  }
}

async function main() {
  const raw = await request('get', '/openapi.json');
  assert.equal(raw.status, 200, `GET /openapi.json answered ${raw.status}`);
  check(raw.type.includes('json'), `/openapi.json is served as '${raw.type}'`);
  const document = JSON.parse(raw.text);

  // 1. A real validation, and proof that the validator rejects a broken document.
  await SwaggerParser.validate(structuredClone(document));
  assert.match(document.openapi, /^3\./, 'an OpenAPI 3 document');
  const broken = structuredClone(document);
  broken.paths['/v1/predict'].post.responses = { 200: { content: {} } };  // a response without description
  let rejected = false;
  try {
    await SwaggerParser.validate(broken);
  } catch (_) {
    rejected = true;
  }
  assert.ok(rejected, 'swagger-parser must reject a response without a description');
  const api = await SwaggerParser.dereference(structuredClone(document));
  const documented = new Set();
  for (const [p, item] of Object.entries(api.paths)) {
    for (const m of METHODS) if (item[m]) documented.add(`${m} ${p}`);
  }
  log(`valid OpenAPI ${document.openapi} document: ${documented.size} operations`);

  // 2. Every route of the server is documented.
  const sourceRoutes = routesFromSource();
  for (const r of sourceRoutes) {
    check(documented.has(`${r.method} ${r.path}`), `route ${r.method.toUpperCase()} ${r.path} (endpoints.cpp) is not documented`);
  }
  const papers = realPapers(5);
  // Exercise the prediction routes once so that /metrics has samples for them, then read its labels.
  await request('post', '/v1/predict', { body: { title: papers[0].title, abstract: papers[0].abstract } });
  const metrics = await request('get', '/metrics');
  assert.equal(metrics.status, 200, `GET /metrics answered ${metrics.status}`);
  const documentedPaths = new Set(Object.keys(api.paths));
  for (const label of routesFromMetrics(metrics.text)) {
    check(documentedPaths.has(label), `route label '${label}' in /metrics is not a documented path`);
  }
  log(`${sourceRoutes.length} routes in the endpoint table, all checked against the document`);

  // 3. Every documented operation answers, with a documented status and the documented shape.
  for (const [templated, item] of Object.entries(api.paths)) {
    const urlPath = concretePath(templated);
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation) {
        const answer = await request(method, urlPath, method === 'get' ? {} : { body: {} });
        check(answer.status === 405, `${method.toUpperCase()} ${urlPath} is undocumented but answered ${answer.status} (expected 405)`);
        continue;
      }
      const what = `${method.toUpperCase()} ${urlPath}`;
      const answer = await request(method, urlPath, { body: requestBodyFor(operation, papers) });
      check(answer.status !== 404 && answer.status !== 405, `${what} is documented but answered ${answer.status}`);
      check(documentedStatus(operation, answer.status), `${what} answered ${answer.status}, which is not documented`);
      const response = (operation.responses || {})[String(answer.status)];
      const media = response && response.content && response.content['application/json'];
      if (answer.status < 300 && media && media.schema) {
        check(answer.type.includes('json'), `${what}: documented as JSON, served as '${answer.type}'`);
        const errors = schemaErrors(JSON.parse(answer.text), media.schema);
        check(errors.length === 0, `${what}: the answer does not match its documented schema: ${errors.slice(0, 5).join('; ')}`);
      }
      if (answer.status >= 400) expectProblem(answer, what);
      log(`${what} -> ${answer.status}`);

      // 4. API-key mode: 401 exactly where the document says so.
      if (apiKey) {
        const anonymous = await request(method, urlPath, { body: requestBodyFor(operation, papers), key: '' });
        if ('401' in (operation.responses || {})) {
          check(anonymous.status === 401, `${what} without the API key answered ${anonymous.status}, expected 401`);
          if (anonymous.status === 401) expectProblem(anonymous, `${what} without the key`);
        } else {
          check(anonymous.status !== 401, `${what} answered 401 without the key but documents no 401`);
        }
      }
    }
  }

  // 5. Error answers are documented Problem JSON.
  const unknown = await request('get', '/v1/no-such-route');
  check(unknown.status === 404, `GET /v1/no-such-route answered ${unknown.status}`);
  expectProblem(unknown, 'GET /v1/no-such-route');
  const malformed = await request('post', '/v1/predict', { body: '{"title": ' });
  check(malformed.status === 400, `malformed JSON answered ${malformed.status}`);
  expectProblem(malformed, 'POST /v1/predict with malformed JSON');
  check(documentedStatus(api.paths['/v1/predict'].post, 400), '400 of /v1/predict is documented');
  const notJson = await request('post', '/v1/predict', { body: 'title=x', contentType: 'application/x-www-form-urlencoded' });
  check(notJson.status === 415, `a form-encoded body answered ${notJson.status}, expected 415`);
  expectProblem(notJson, 'POST /v1/predict with a form body');

  if (failures.length) {
    for (const f of failures) console.error(`[validate_openapi] FAIL: ${f}`);
    throw new Error(`${failures.length} check(s) failed`);
  }
  log('passed');
}

main().catch((err) => {
  console.error(`[validate_openapi] FAILED: ${err.stack || err}`);
  process.exit(1);
});
