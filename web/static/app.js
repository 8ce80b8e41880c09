// The arxivc web page: sends the form to POST /v1/predict and shows the categories; shows the served
// model's card from GET /v1/model. Every failure (empty form, a problem reported by the server, no
// connection) is written into the page, never only to the console.
'use strict';

(() => {
  const API_KEY_STORAGE = 'arxivc.apiKey';

  const form = document.getElementById('predict-form');
  const titleInput = document.getElementById('title');
  const abstractInput = document.getElementById('abstract');
  const topKInput = document.getElementById('top-k');
  const apiKeyInput = document.getElementById('api-key');
  const submitButton = document.getElementById('submit');
  const clearButton = document.getElementById('clear');
  const errorBox = document.getElementById('error');
  const resultsList = document.getElementById('results');
  const resultsStatus = document.getElementById('results-status');
  const resultsLegend = document.getElementById('results-legend');
  const modelInfo = document.getElementById('model-info');
  const modelError = document.getElementById('model-error');
  const metricsBody = document.querySelector('#model-metrics tbody');

  // Labels for the validation metrics the trainer writes; other numeric entries show under their key.
  const METRIC_LABELS = {
    papers: 'Validation papers',
    primary_accuracy: 'Primary accuracy (top-1 = primary)',
    primary_in_top_5: 'Primary in top 5',
    archive_accuracy: 'Archive accuracy',
    micro_f1: 'Micro F1',
    macro_f1: 'Macro F1',
    samples_f1: 'Samples F1',
    precision_at_1: 'P@1',
    ndcg_at_5: 'NDCG@5',
    expected_calibration_error: 'Expected calibration error',
  };

  function showError(box, message) {
    box.textContent = message;
    box.hidden = false;
  }

  function clearError(box) {
    box.textContent = '';
    box.hidden = true;
  }

  function authHeaders() {
    const key = apiKeyInput.value.trim();
    return key ? { Authorization: `Bearer ${key}` } : {};
  }

  // Turns a non-2xx response into a sentence: the Problem JSON `detail` (RFC 9457) when there is one.
  async function problemMessage(response) {
    let detail = '';
    const type = response.headers.get('content-type') || '';
    try {
      if (type.includes('json')) {
        const problem = await response.json();
        detail = problem.detail || problem.title || '';
      } else {
        detail = (await response.text()).trim().slice(0, 300);
      }
    } catch (_) {
      detail = '';
    }
    const status = `${response.status}${response.statusText ? ' ' + response.statusText : ''}`;
    let message = detail ? `The server could not classify this paper (${status}): ${detail}`
                         : `The server answered ${status}.`;
    const retryAfter = response.headers.get('retry-after');
    if (retryAfter) message += ` Try again in ${retryAfter} s.`;
    if (response.status === 401) message += ' Enter the service\'s API key under "API key".';
    return message;
  }

  async function requestJson(url, options) {
    let response;
    try {
      response = await fetch(url, options);
    } catch (err) {
      throw new Error(`Could not reach the server (${err.message}). Is arxivc serve still running?`);
    }
    if (!response.ok) throw new Error(await problemMessage(response));
    try {
      return await response.json();
    } catch (err) {
      throw new Error(`The server sent an answer that is not JSON (${err.message}).`);
    }
  }

  function formatProbability(p) {
    return `${(p * 100).toFixed(p >= 0.995 || p < 0.001 ? 0 : 1)}%`;
  }

  function renderPredictions(answer) {
    resultsList.replaceChildren();
    const predicted = new Set(answer.predicted || []);
    const categories = answer.categories || [];
    for (const c of categories) {
      const item = document.createElement('li');
      item.className = 'result' + (predicted.has(c.code) ? ' predicted' : '');
      item.dataset.code = c.code;

      const label = document.createElement('div');
      label.className = 'label';
      const name = document.createElement('span');
      name.className = 'name';
      name.textContent = c.name || c.code;
      if (predicted.has(c.code)) {
        const badge = document.createElement('span');
        badge.className = 'badge';
        badge.textContent = 'predicted';
        name.append(badge);
      }
      const meta = document.createElement('span');
      meta.className = 'meta';
      const code = document.createElement('span');
      code.className = 'code';
      code.textContent = c.code;
      meta.append(code, document.createTextNode(c.group ? ` \u00b7 ${c.group}` : ''));
      label.append(name, meta);

      const percent = Math.max(0, Math.min(1, Number(c.probability) || 0));
      const track = document.createElement('div');
      track.className = 'bar-track';
      track.setAttribute('role', 'meter');
      track.setAttribute('aria-valuemin', '0');
      track.setAttribute('aria-valuemax', '100');
      track.setAttribute('aria-valuenow', (percent * 100).toFixed(1));
      track.setAttribute('aria-label', `Probability of ${c.code}`);
      const bar = document.createElement('div');
      bar.className = 'bar';
      bar.style.width = `${(percent * 100).toFixed(2)}%`;
      track.append(bar);

      const probability = document.createElement('span');
      probability.className = 'probability';
      probability.textContent = formatProbability(percent);

      item.append(label, track, probability);
      resultsList.append(item);
    }
    resultsLegend.hidden = categories.length === 0;
    if (categories.length === 0) {
      resultsStatus.textContent = 'The model returned no categories for this text.';
    } else if (predicted.size === 0) {
      resultsStatus.textContent =
        'No category reaches its threshold; the most probable candidates are listed.';
    } else {
      resultsStatus.textContent = `Predicted: ${[...predicted].join(', ')}`;
    }
    if (answer.model) {
      resultsStatus.textContent += ` (model ${answer.model.name || '?'} ${answer.model.version || ''})`;
    }
  }

  async function classify(event) {
    event.preventDefault();
    clearError(errorBox);
    const title = titleInput.value.trim();
    const abstract = abstractInput.value.trim();
    if (!title && !abstract) {
      showError(errorBox, 'Enter a title, an abstract, or both before classifying.');
      titleInput.focus();
      return;
    }
    const body = { title, abstract };
    const topK = topKInput.value.trim();
    if (topK !== '') body.top_k = Number(topK);

    submitButton.disabled = true;
    resultsStatus.textContent = 'Classifying...';
    try {
      const answer = await requestJson('/v1/predict', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json', ...authHeaders() },
        body: JSON.stringify(body),
      });
      renderPredictions(answer);
    } catch (err) {
      resultsList.replaceChildren();
      resultsLegend.hidden = true;
      resultsStatus.textContent = 'No result.';
      showError(errorBox, err.message);
    } finally {
      submitButton.disabled = false;
    }
  }

  function describeDataset(dataset) {
    if (!dataset) return '';
    if (typeof dataset === 'string') return dataset;
    return dataset.content_hash || dataset.hash || dataset.name || JSON.stringify(dataset);
  }

  function addInfo(term, value) {
    if (value === undefined || value === null || value === '') return;
    const dt = document.createElement('dt');
    dt.textContent = term;
    const dd = document.createElement('dd');
    dd.textContent = String(value);
    modelInfo.append(dt, dd);
  }

  function findValidationMetrics(card) {
    const candidates = [card.validation, card.validation_metrics, card.metrics && card.metrics.validation,
                        card.metrics];
    return candidates.find((m) => m && typeof m === 'object' && !Array.isArray(m)) || {};
  }

  function renderModel(card) {
    modelInfo.replaceChildren();
    addInfo('Name', card.name);
    addInfo('Version', card.version);
    addInfo('Experiment', card.experiment);
    addInfo('Family', card.family);
    addInfo('Best epoch', card.best_epoch);
    addInfo('Labels', Array.isArray(card.labels) ? card.labels.length : card.label_count);
    addInfo('Label mode', card.label_mode);
    addInfo('Trained on', card.trained_on || describeDataset(card.dataset));
    addInfo('arxivc', card.arxivc_version);

    metricsBody.replaceChildren();
    const metrics = findValidationMetrics(card);
    for (const [key, value] of Object.entries(metrics)) {
      if (typeof value !== 'number') continue;
      const row = document.createElement('tr');
      const name = document.createElement('td');
      name.textContent = METRIC_LABELS[key] || key.replaceAll('_', ' ');
      const cell = document.createElement('td');
      cell.textContent = Number.isInteger(value) ? String(value) : value.toFixed(4);
      row.append(name, cell);
      metricsBody.append(row);
    }
    if (!metricsBody.children.length) {
      const row = document.createElement('tr');
      const cell = document.createElement('td');
      cell.colSpan = 2;
      cell.textContent = 'The model card holds no validation metrics.';
      row.append(cell);
      metricsBody.append(row);
    }
  }

  async function loadModel() {
    clearError(modelError);
    try {
      renderModel(await requestJson('/v1/model', { headers: { Accept: 'application/json', ...authHeaders() } }));
    } catch (err) {
      modelInfo.replaceChildren();
      addInfo('Status', 'unavailable');
      showError(modelError, `Could not load the model card: ${err.message}`);
    }
  }

  form.addEventListener('submit', classify);
  clearButton.addEventListener('click', () => {
    form.reset();
    clearError(errorBox);
    resultsList.replaceChildren();
    resultsLegend.hidden = true;
    resultsStatus.textContent = 'Submit a paper to see its categories.';
    titleInput.focus();
  });
  apiKeyInput.value = sessionStorage.getItem(API_KEY_STORAGE) || '';
  apiKeyInput.addEventListener('change', () => {
    sessionStorage.setItem(API_KEY_STORAGE, apiKeyInput.value.trim());
    loadModel();
  });

  loadModel();
})();
