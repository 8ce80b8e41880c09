// The built documentation site (make docs -> build-docs/site) in a real browser: Debian's headless Chromium
// driven by playwright-core (web/node_modules), the site served by a small static server on 127.0.0.1.
// Checks that every page renders with the navigation and without an uncaught error, that nothing is
// requested from anywhere but the site (no web fonts, no CDN; a request blocked by a page's
// Content-Security-Policy is forgiven), that the command-line reference shows every command of
// `arxivc --help`, that the HTTP API reference lists every operation of src/serve/openapi.json and that the
// Redoc page renders them. Screenshots go to $ARXIVC_TEST_OUTPUT/docs/ (default build/test-output/docs).
//
//   node tests/docs/site_test.mjs [SITE_DIR]        (ARXIVC_BIN: the binary, default build/arxivc)
import { createRequire } from 'node:module';
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { launchChromium } from '../support/chromium.mjs';

const sourceDir = process.env.ARXIVC_SOURCE_DIR ||
  path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(path.join(sourceDir, 'web', 'package.json'));
const { chromium } = require('playwright-core');

const siteDir = path.resolve(process.argv[2] || path.join(sourceDir, 'build-docs', 'site'));
const binary = path.resolve(sourceDir, process.env.ARXIVC_BIN || path.join('build', 'arxivc'));
const outputDir = path.join(process.env.ARXIVC_TEST_OUTPUT || path.join(sourceDir, 'build', 'test-output'), 'docs');
const TIMEOUT_MS = 30000;

function log(message) {
  console.log(`[site_test] ${message}`);
}

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json',
  '.xml': 'application/xml', '.png': 'image/png', '.svg': 'image/svg+xml', '.txt': 'text/plain', '.map': 'application/json',
};

// Serves SITE_DIR as a static host would: /dir/ is /dir/index.html.
function serve(root) {
  const server = createServer((request, response) => {
    let relative = decodeURIComponent(new URL(request.url, 'http://localhost').pathname);
    if (relative.endsWith('/')) relative += 'index.html';
    const file = path.join(root, relative);
    if (!file.startsWith(root + path.sep) || !existsSync(file) || !statSync(file).isFile()) {
      response.writeHead(404, { 'Content-Type': 'text/plain' });
      response.end('not found');
      return;
    }
    response.writeHead(200, { 'Content-Type': TYPES[path.extname(file)] || 'application/octet-stream' });
    response.end(readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

function pages(root) {
  const found = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name === 'index.html') found.push(path.relative(root, dir).split(path.sep).join('/'));
    }
  };
  walk(root);
  return found.sort().map((dir) => (dir ? `${dir}/` : ''));
}

function commands() {
  const help = execFileSync(binary, ['--help'], { encoding: 'utf8' });
  const section = help.split(/^Subcommands:\s*$/m)[1];
  assert.ok(section, `${binary} --help has no Subcommands section`);
  const names = [];
  for (const line of section.split('\n').slice(1)) {
    if (!line.trim()) { if (names.length) break; continue; }
    names.push(line.trim().split(/\s+/)[0]);
  }
  assert.ok(names.length > 0, `no commands in ${binary} --help`);
  return names;
}

async function main() {
  assert.ok(existsSync(path.join(siteDir, 'index.html')), `${siteDir}/index.html is missing: run make docs first`);
  mkdirSync(outputDir, { recursive: true });
  const server = await serve(siteDir);
  const baseUrl = `http://127.0.0.1:${server.address().port}/`;
  const { context, userDataDir } = await launchChromium(chromium, { width: 1280, height: 900 });
  const problems = [];
  const foreignRequests = [];
  const blockedRequests = [];
  try {
    const page = context.pages()[0] || await context.newPage();
    page.setDefaultTimeout(TIMEOUT_MS);
    page.on('pageerror', (err) => problems.push(`uncaught error in ${page.url()}: ${err.message}`));
    page.on('request', (request) => {
      const url = request.url();
      if (!url.startsWith(baseUrl) && !/^(data|blob):/.test(url)) foreignRequests.push(url);
    });
    page.on('requestfailed', (request) => {
      const url = request.url();
      const reason = request.failure().errorText;
      if (!url.startsWith(baseUrl) && /^csp$|ERR_BLOCKED_BY_CSP/.test(reason)) {
        const i = foreignRequests.indexOf(url);
        if (i >= 0) foreignRequests.splice(i, 1);
        blockedRequests.push(url);
      } else if (!(url.startsWith(baseUrl) && reason === 'net::ERR_ABORTED')) {  // left behind by the next goto
        problems.push(`request failed: ${url} ${reason}`);
      }
    });
    page.on('response', (response) => {
      if (response.status() >= 400) problems.push(`${response.status()} for ${response.url()}`);
    });

    // Every page: the theme's navigation, a title, content; every link within the site leads to a page
    // that exists and, with a #fragment, to an element with that id (mkdocs 1.4 checks neither anchors
    // nor links written as HTML).
    const all = pages(siteDir);
    const links = new Map();
    for (const name of all) {
      const response = await page.goto(baseUrl + name, { waitUntil: 'load' });
      assert.equal(response.status(), 200, `GET /${name}`);
      await page.locator('nav.md-nav--primary').first().waitFor({ state: 'attached' });
      const title = await page.locator('article h1').first().textContent();
      assert.ok(title && title.trim(), `/${name} has a title`);
      for (const href of await page.locator('article a[href]').evaluateAll((as) => as.map((a) => a.href))) {
        if (href.startsWith(baseUrl)) links.set(href, `/${name}`);
      }
    }
    log(`${all.length} pages render: ${all.map((p) => `/${p}`).join(' ')}`);
    const ids = new Map();
    for (const [href, from] of links) {
      const url = new URL(href);
      let file = decodeURIComponent(url.pathname);
      if (file.endsWith('/')) file += 'index.html';
      const target = path.join(siteDir, file);
      assert.ok(existsSync(target), `${from} links to ${url.pathname}, which is not in the site`);
      if (!url.hash || !target.endsWith('.html')) continue;
      if (!ids.has(target)) {
        ids.set(target, new Set([...readFileSync(target, 'utf8').matchAll(/\sid="([^"]+)"/g)].map((m) => m[1])));
      }
      const id = decodeURIComponent(url.hash.slice(1));
      assert.ok(ids.get(target).has(id), `${from} links to ${url.pathname}${url.hash}: no element has that id`);
    }
    log(`${links.size} links within the site lead to existing pages and anchors`);
    await page.goto(baseUrl);
    await page.screenshot({ path: path.join(outputDir, 'index.png') });

    // Search, in the theme's worker: a word of the generated configuration reference finds it.
    // The theme shows "Initializing search" until its worker has loaded the index; a query typed
    // before that is lost.
    await page.locator('input.md-search__input').focus();
    await page.waitForFunction(() => {
      const meta = document.querySelector('.md-search-result__meta');
      return meta && !/initializing/i.test(meta.textContent);
    });
    // The theme reads the query on keyup: type it.
    await page.locator('input.md-search__input').pressSequentially('per_category_cap');
    await page.locator('.md-search-result__item').first().waitFor();
    assert.ok(await page.locator('.md-search-result__item a[href*="reference/configuration"]').count() > 0,
      'searching per_category_cap finds the configuration reference');
    await page.screenshot({ path: path.join(outputDir, 'search.png') });
    // The search index holds the generated pages.
    const index = JSON.parse(readFileSync(path.join(siteDir, 'search', 'search_index.json'), 'utf8'));
    for (const location of ['reference/cli/', 'reference/configuration/', 'reference/http-api/']) {
      assert.ok(index.docs.some((d) => d.location === location), `the search index has ${location}`);
    }

    // The command-line reference: every command of the binary, with its help.
    const names = commands();
    await page.goto(`${baseUrl}reference/cli/`);
    for (const name of names) {
      const section = page.locator(`h2[id="arxivc-${name}"]`);
      assert.equal(await section.count(), 1, `reference/cli has a section for arxivc ${name}`);
      const help = await page.locator(`h2[id="arxivc-${name}"] + div pre, h2[id="arxivc-${name}"] + pre`).first().textContent();
      assert.match(help, /Usage: .*arxivc/, `the section of arxivc ${name} shows its --help`);
    }
    log(`reference/cli shows all ${names.length} commands: ${names.join(', ')}`);
    await page.screenshot({ path: path.join(outputDir, 'cli.png') });

    // The HTTP API reference: every operation of the document, in Markdown and in Redoc.
    const document = JSON.parse(readFileSync(path.join(sourceDir, 'src', 'serve', 'openapi.json'), 'utf8'));
    const operations = [];
    for (const [route, item] of Object.entries(document.paths)) {
      for (const [method, op] of Object.entries(item)) {
        if (op && op.responses) operations.push({ route, method, summary: op.summary });
      }
    }
    await page.goto(`${baseUrl}reference/http-api/`);
    const text = await page.locator('article').textContent();
    for (const { route, method } of operations) {
      assert.ok(text.includes(`${method.toUpperCase()} ${route}`), `reference/http-api documents ${method} ${route}`);
    }
    const served = JSON.parse(readFileSync(path.join(siteDir, 'reference', 'openapi.json'), 'utf8'));
    assert.deepEqual(served, document, 'reference/openapi.json is src/serve/openapi.json');
    await page.locator('a', { hasText: 'interactive reference' }).click();
    await page.waitForURL(/redoc\.html$/);
    await page.locator('.api-content').waitFor();
    for (const { summary } of operations) {
      await page.locator('.api-content h2', { hasText: summary }).first().waitFor({ state: 'attached' });
    }
    log(`reference/http-api and the Redoc page show all ${operations.length} operations`);
    await page.screenshot({ path: path.join(outputDir, 'redoc.png') });
  } finally {
    await context.close();
    server.close();
    rmSync(userDataDir, { recursive: true, force: true });
  }
  if (blockedRequests.length) log(`requests blocked by a page's Content-Security-Policy: ${[...new Set(blockedRequests)].join(', ')}`);
  assert.deepEqual(foreignRequests, [], 'no request leaves the site');
  assert.deepEqual(problems, [], 'no failed request, error status or uncaught error');
  log('ok');
}

main().catch((err) => {
  console.error(`[site_test] FAILED: ${err.stack || err}`);
  process.exit(1);
});
