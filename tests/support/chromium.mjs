// Headless Debian Chromium through playwright-core, started the way every browser test of arxivc starts it
// (never a browser download): a fresh profile directory, no sandbox (root), nothing fetched in the background.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const chromiumPath = process.env.CHROMIUM || '/usr/bin/chromium';

// `chromium` is playwright-core's export. Returns the browser context and its profile directory, which
// the caller removes when done.
export async function launchChromium(chromium, viewport) {
  const userDataDir = mkdtempSync(path.join(tmpdir(), 'arxivc-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: chromiumPath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
    viewport,
  });
  return { context, userDataDir };
}
