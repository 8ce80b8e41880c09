// The web page in a real browser: Debian's headless Chromium driven by playwright-core, against a running
// `arxivc serve` (ARXIVC_URL). A person fills the form with a real paper, submits, and sees the
// categories the API predicts, with names; an empty form, a problem reported by the server and a lost
// connection each show an error in the page. Screenshots go to $ARXIVC_TEST_OUTPUT/web/.
//
//   ARXIVC_URL=http://127.0.0.1:PORT node tests/web/page_test.mjs
import { createRequire } from 'node:module';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { launchChromium } from '../support/chromium.mjs';

const sourceDir = process.env.ARXIVC_SOURCE_DIR ||
  path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(path.join(sourceDir, 'web', 'package.json'));
const { chromium } = require('playwright-core');

const baseUrl = process.env.ARXIVC_URL;
if (!baseUrl) throw new Error('set ARXIVC_URL to a running arxivc serve (http://127.0.0.1:PORT)');
const dataDir = process.env.ARXIVC_DATA_DIR || path.join(sourceDir, '..', 'shared', 'data');
const outputDir = path.join(process.env.ARXIVC_TEST_OUTPUT || path.join(sourceDir, 'build', 'test-output'), 'web');
const TIMEOUT_MS = 30000;

function log(message) {
  console.log(`[page_test] ${message}`);
}

// Real papers from the 5k sample, with the API's own answer for each: the test picks one for which the
// model predicts at least one category, so the page has something to highlight.
async function choosePaper() {
  const lines = readFileSync(path.join(dataDir, 'arxiv-metadata-5k.json'), 'utf8').split('\n');
  for (const line of lines.slice(100, 400)) {
    if (!line.trim()) continue;
    const paper = JSON.parse(line);
    const title = paper.title.replace(/\s+/g, ' ').trim();
    const abstract = paper.abstract.replace(/\s+/g, ' ').trim();
    if (abstract.length < 400) continue;
    const response = await fetch(`${baseUrl}/v1/predict`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ title, abstract, top_k: 5 }),
    });
    const text = await response.text();
    assert.equal(response.status, 200, `POST /v1/predict answered ${response.status}: ${text}`);
    const answer = JSON.parse(text);
    if (answer.predicted.length > 0) return { paper, title, abstract, answer };
  }
  throw new Error('no paper among lines 100-400 of the 5k sample gets a predicted category');
}

async function main() {
  mkdirSync(outputDir, { recursive: true });
  const { paper, title, abstract, answer } = await choosePaper();
  log(`paper ${paper.id} (${paper.categories}); the API predicts ${answer.predicted.join(', ')}`);

  const { context, userDataDir } = await launchChromium(chromium, { width: 1100, height: 900 });
  const problems = [];
  const foreignRequests = [];
  const blockedRequests = [];
  try {
    const page = context.pages()[0] || await context.newPage();
    page.setDefaultTimeout(TIMEOUT_MS);
    page.on('pageerror', (err) => problems.push(`uncaught error in the page: ${err.message}`));
    page.on('requestfailed', (request) => {
      const url = request.url();
      const reason = request.failure().errorText;
      if (!url.startsWith(baseUrl) && /^csp$|ERR_BLOCKED_BY_CSP/.test(reason)) {
        const i = foreignRequests.indexOf(url);
        if (i >= 0) foreignRequests.splice(i, 1);
        blockedRequests.push(url);
      } else if (!url.endsWith('/v1/predict')) {  // the offline step fails one prediction on purpose
        problems.push(`request failed: ${url} ${reason}`);
      }
    });
    // A request to anywhere but this server must never leave the browser: the pages' Content-Security-
    // Policy blocks what Redoc would fetch from its CDN. Such a request is recorded and forgiven only when
    // it fails as blocked by the policy.
    page.on('request', (request) => {
      const url = request.url();
      if (!url.startsWith(baseUrl) && !/^(data|blob):/.test(url)) foreignRequests.push(url);
    });

    const response = await page.goto(`${baseUrl}/`);
    assert.equal(response.status(), 200, 'GET / must serve the page');
    await page.getByRole('heading', { name: 'arxivc' }).waitFor();

    // The model card from GET /v1/model: name, version and validation metrics.
    const modelResponse = await fetch(`${baseUrl}/v1/model`);
    assert.equal(modelResponse.status, 200);
    const card = await modelResponse.json();
    await page.locator('#model-info dt', { hasText: 'Version' }).waitFor();
    const shownCard = await page.locator('#model-info').evaluate((dl) => Object.fromEntries(
      [...dl.querySelectorAll('dt')].map((dt) => [dt.textContent, dt.nextElementSibling.textContent])));
    assert.equal(shownCard.Name, card.name, 'the model name is shown');
    assert.equal(shownCard.Version, card.version, 'the model version is shown');
    assert.equal(shownCard['Trained on'], card.trained_on, 'the training data is shown');
    const metricRows = page.locator('#model-metrics tbody tr');
    await metricRows.first().waitFor();
    assert.ok(await metricRows.count() >= 3, 'the validation metrics table shows the model card\'s metrics');
    assert.ok(await page.locator('#model-metrics').getByText('Micro F1').isVisible(), 'micro F1 is shown');

    // Fill the form through its labels (which also checks the fields are labelled), then submit.
    await page.getByLabel('Title').fill(title);
    await page.getByLabel('Abstract').fill(abstract);
    await page.getByLabel('Categories to show').fill('5');
    await page.getByRole('button', { name: 'Classify' }).click();

    const results = page.locator('#results .result');
    await results.first().waitFor();
    assert.equal(await results.count(), answer.categories.length, 'one row per category the API returned');
    const shownPredicted = await page.locator('#results .result.predicted').evaluateAll(
      (items) => items.map((item) => item.dataset.code));
    assert.deepEqual(shownPredicted.sort(), [...answer.predicted].sort(), 'the predicted categories are highlighted');
    for (const category of answer.categories) {
      const row = page.locator(`#results .result[data-code="${category.code}"]`);
      assert.ok(await row.isVisible(), `${category.code} is shown`);
      const text = await row.innerText();
      assert.ok(text.includes(category.name), `${category.code} shows its name "${category.name}"`);
      assert.ok(text.includes(category.code), `${category.code} shows its code`);
      if (category.group) assert.ok(text.includes(category.group), `${category.code} shows its group`);
      const barWidth = await row.locator('.bar').evaluate((bar) => bar.getBoundingClientRect().width);
      const trackWidth = await row.locator('.bar-track').evaluate((t) => t.getBoundingClientRect().width);
      assert.ok(Math.abs(barWidth / trackWidth - category.probability) < 0.02,
        `${category.code}'s bar is ${barWidth}/${trackWidth} wide for probability ${category.probability}`);
    }
    assert.ok(await page.locator('#error').isHidden(), 'no error after a successful prediction');
    const screenshot = path.join(outputDir, 'prediction.png');
    await page.screenshot({ path: screenshot, fullPage: true });
    log(`predictions shown: ${shownPredicted.join(', ')}; screenshot ${screenshot}`);

    // An empty form: the person is told, in the page.
    await page.getByRole('button', { name: 'Clear' }).click();
    await page.getByRole('button', { name: 'Classify' }).click();
    const error = page.getByRole('alert').filter({ hasText: 'Enter a title' });
    await error.waitFor({ state: 'visible' });
    assert.equal(await results.count(), 0, 'no stale results next to the error');
    await page.screenshot({ path: path.join(outputDir, 'empty-form-error.png'), fullPage: true });
    log(`empty form: "${await error.innerText()}"`);

    // A problem the server reports (top_k out of range): its Problem JSON detail is shown.
    const badBody = { title, abstract, top_k: 0 };
    const direct = await fetch(`${baseUrl}/v1/predict`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(badBody),
    });
    assert.equal(direct.status, 400, 'top_k 0 is out of range');
    const problem = await direct.json();
    await page.getByLabel('Title').fill(title);
    await page.getByLabel('Categories to show').fill('0');
    await page.getByRole('button', { name: 'Classify' }).click();
    const serverError = page.locator('#error', { hasText: problem.detail });
    await serverError.waitFor({ state: 'visible' });
    assert.ok((await serverError.innerText()).includes('400'), 'the status is shown');
    await page.screenshot({ path: path.join(outputDir, 'server-problem.png'), fullPage: true });
    log(`server problem: "${await serverError.innerText()}"`);

    // The connection is lost (the browser goes offline): the failure is shown, not swallowed.
    await page.getByLabel('Categories to show').fill('5');
    await context.setOffline(true);
    await page.getByRole('button', { name: 'Classify' }).click();
    await page.locator('#error', { hasText: 'Could not reach the server' }).waitFor({ state: 'visible' });
    await context.setOffline(false);
    log(`network failure: "${await page.locator('#error').innerText()}"`);

    // The API reference page renders the OpenAPI document with the locally served Redoc.
    const docs = await page.goto(`${baseUrl}/docs`);
    assert.equal(docs.status(), 200, 'GET /docs');
    await page.locator('.api-content').waitFor();
    await page.getByText('/v1/predict').first().waitFor();
    await page.screenshot({ path: path.join(outputDir, 'docs.png') });
    log('API reference rendered by Redoc');
  } finally {
    await context.close();
    rmSync(userDataDir, { recursive: true, force: true });
  }
  if (blockedRequests.length) log(`blocked by the pages' Content-Security-Policy: ${blockedRequests.join(', ')}`);
  assert.deepEqual(foreignRequests, [], 'the pages load nothing from outside the server');
  assert.deepEqual(problems, [], 'no uncaught errors in the page');
  log('passed');
}

main().catch((err) => {
  console.error(`[page_test] FAILED: ${err.stack || err}`);
  process.exit(1);
});
