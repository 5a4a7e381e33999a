import { chromium, type Browser } from 'playwright-core';

/**
 * Headless Chromium for the browser tests of the web pages. The binary ships inside the npm package
 * `@sparticuz/chromium` (a dev dependency), so `npm install && npm test` needs no system browser:
 * `test/global-setup.ts` unpacks it once per jest run and passes its path in GONGFLOW_TEST_CHROMIUM
 * (set that variable yourself to test with another Chromium).
 */
export async function chromiumExecutablePath(): Promise<string> {
  const configured = process.env['GONGFLOW_TEST_CHROMIUM'];
  if (configured) return configured;
  const packaged = (await import('@sparticuz/chromium')).default;
  return packaged.executablePath();
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: await chromiumExecutablePath(),
    args: [
      '--headless',
      '--no-sandbox',
      '--no-zygote',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}
