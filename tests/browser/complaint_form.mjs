// Fills the public complaint form in Debian's Chromium (headless), attaches a file, submits,
// and checks that the answer page shows a tracking code whose public status is "received".
// Usage: node complaint_form.mjs BASE_URL FILE
import { chromium } from 'playwright-core';

const [base, file] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox'],
});
try {
  const page = await browser.newPage();
  await page.goto(`${base}/complaints`);
  if ((await page.locator('script').count()) !== 0) throw new Error('the form page has scripts');
  await page.selectOption('#category', 'impersonation');
  await page.fill('#description', '这段视频用了我的脸 — this video uses my face without consent');
  await page.fill('#url', 'https://video.example/watch/1');
  await page.setInputFiles('#file', file);
  await Promise.all([page.waitForURL(`${base}/v1/complaints`), page.click('button[type=submit]')]);
  const code = (await page.textContent('#tracking-code')).trim();
  if (!/^C[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/.test(code)) {
    throw new Error(`no tracking code on the answer page: ${await page.content()}`);
  }
  const status = await page.request.get(`${base}/v1/complaints/${code}`);
  const body = await status.json();
  if (status.status() !== 200 || body.state !== 'received' || body.category !== 'impersonation') {
    throw new Error(`status of ${code}: ${status.status()} ${JSON.stringify(body)}`);
  }
  console.log(`ok   form submitted in Chromium, tracking code ${code}, state ${body.state}`);
} finally {
  await browser.close();
}
