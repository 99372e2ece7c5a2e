// Browser test of the reviewers' page, driven by tests/page.rs:
//
//   PLAYWRIGHT_CORE_DIR=DIR node tests/browser/review.mjs BASE_URL TOKEN SCREENSHOT_DIR [READER_TOKEN]
//
// DIR holds node_modules/playwright-core (`npm install --no-save playwright-core` there).
// Debian's /usr/bin/chromium (or $CHROMIUM), headless, 1366×768, a fresh profile. Every request
// to a host other than BASE_URL is refused and fails the test (the page must need no network
// beyond its server). The last line on stdout is JSON with the ids of the decisions taken, which
// the Rust test then checks through the API.

import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const [base, token, shots, readerToken] = process.argv.slice(2);
if (!base || !token || !shots) {
  console.error('usage: review.mjs BASE_URL TOKEN SCREENSHOT_DIR [READER_TOKEN]');
  process.exit(2);
}
const pwDir = process.env.PLAYWRIGHT_CORE_DIR || process.cwd();
const require = createRequire(path.join(path.resolve(pwDir), 'noop.js'));
const { chromium } = require('playwright-core');

fs.mkdirSync(shots, { recursive: true });
const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'rasoat-chromium-'));
const origin = new URL(base).origin;
const foreign = [];
const problems = [];
let step = 0;

function check(cond, what) {
  if (!cond) throw new Error(`check failed: ${what}`);
}

const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  viewport: { width: 1366, height: 768 },
  acceptDownloads: true,
  locale: 'vi-VN',
  timezoneId: 'Asia/Ho_Chi_Minh',
});

try {
  await context.route('**/*', (r) => {
    const u = r.request().url();
    if (u.startsWith(origin) || u.startsWith('blob:') || u.startsWith('data:')) return r.continue();
    foreign.push(u);
    return r.abort();
  });
  const page = context.pages()[0] || (await context.newPage());
  page.setDefaultTimeout(30000);
  page.on('console', (m) => { if (process.env.DEBUG_PAGE) console.log(`[${m.type()}] ${m.text()}`); if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('response', (r) => { if (r.status() >= 400) problems.push(`HTTP ${r.status()} ${r.url()}`); });

  async function shot(name) {
    step += 1;
    // The layout must fit 1366 px wide: nothing may overflow sideways.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    check(overflow <= 0, `${name}: the page is ${overflow}px wider than the window`);
    const file = path.join(shots, `${String(step).padStart(2, '0')}-${name}.png`);
    await page.screenshot({ path: file });
    console.log(`screenshot ${file}`);
  }
  const flashText = () => page.locator('#flash').innerText();

  // 1. The page, before signing in (reads are open on loopback).
  await page.goto(`${base}/`);
  await page.waitForSelector('#searchform');
  await page.waitForSelector('#results table');
  check((await page.locator('html').getAttribute('lang')) === 'vi', 'the page is in Vietnamese');
  await shot('trang-dau-chua-dang-nhap');

  // 2. Sign in with the token.
  await page.fill('#token', token);
  await page.click('#signin-btn');
  await page.waitForFunction(() => document.body.dataset.role === 'admin');
  check((await page.locator('#who').innerText()).includes('quản trị'), 'signed in as admin');

  // 3. Search without diacritics.
  await page.fill('#q', 'hoa giai vien');
  await page.keyboard.press('Enter');
  await page.waitForSelector('.hits li.hit');
  const marks = await page.locator('.hits mark').allInnerTexts();
  check(marks.some((m) => m.toLowerCase() === 'hòa'), `the unaccented query marks accented words (got ${marks.slice(0, 5)})`);
  await shot('tim-kiem-khong-dau');

  // 4. Open a document from the hits, today's wording (an amended clause shows old and new).
  const hit = page.locator('.hits li.hit a', { hasText: '04/2019/NQ-HĐND — khoản 2 Điều 2' }).first();
  await hit.click();
  await page.waitForSelector('#doctext .prov');
  const amended = page.locator('#doctext .prov.amended');
  check((await amended.count()) >= 1, 'the amended clause is marked');
  const amendedText = await amended.first().innerText();
  check(amendedText.includes('300.000') && amendedText.includes('400.000'), 'old and new wording both shown');
  check((await page.locator('.timeline li').count()) >= 2, 'the status timeline is shown');
  check((await page.locator('.rels a', { hasText: '02/2022/NQ-HĐND' }).count()) >= 1, 'the incoming relation links to the amending resolution');
  check((await page.locator('.outline details, .outline .leaf').count()) > 3, 'the outline is shown');
  await shot('van-ban-hom-nay');

  // 5. The same document as it read on an earlier date: the first wording only.
  await page.fill('#asof input[name=as_of]', '2020-06-01');
  await page.click('#asof button');
  await page.waitForFunction(() => location.hash.includes('as_of=2020-06-01') && document.querySelector('#doctext h2')?.textContent.includes('01/06/2020'));
  const earlier = await page.locator('#doctext').innerText();
  check(earlier.includes('300.000 đồng/vụ') && !earlier.includes('400.000'), 'the 2020 wording is the first one');
  check((await page.locator('#doctext .prov.amended').count()) === 0, 'nothing amended yet in 2020');
  await shot('van-ban-ngay-2020-06-01');

  // 5b. A partly repealed document: the repealed clause is struck through.
  await page.goto(`${base}/#/doc/${encodeURIComponent('13/2018/QĐ-UBND')}`);
  await page.waitForSelector('#doctext .prov.gone');
  const goneDecoration = await page.locator('#doctext .prov.gone .pt').first().evaluate((e) => getComputedStyle(e).textDecorationLine);
  check(goneDecoration.includes('line-through'), 'repealed wording is struck through');
  await page.locator('#doctext .prov.gone').first().scrollIntoViewIfNeeded();
  await shot('van-ban-bi-bai-bo-mot-phan');

  // 6. Start a review run (admin).
  await page.click('[data-nav=runs]');
  await page.waitForSelector('#newrun');
  await page.click('#newrun button');
  await page.waitForURL(/#\/run\/\d+/, { timeout: 120000 });
  await page.waitForSelector('#flist li.f');
  const run = Number(/#\/run\/(\d+)/.exec(page.url())[1]);
  const before = Number(/^Đã quyết định (\d+) \/ \d+$/.exec(await page.locator('#progress-text').innerText())?.[1]);
  check(Number.isInteger(before), 'progress is shown as decided / total');
  await shot('dot-ra-soat-moi');

  // 7. Confirm the first finding and dismiss another, with the keyboard.
  const selId = () => page.locator('#flist li.f.sel').getAttribute('data-id');
  await page.locator('#flist li.f').first().click();
  await page.waitForSelector('#detail #decide');
  await page.waitForSelector('#evidence .evidence');
  await shot('phat-hien-va-chung-cu');
  const confirmed = await selId();
    await page.keyboard.press('c');
  await page.waitForFunction(() => document.getElementById('flash').textContent.startsWith('Đã lưu: Đã xác nhận'));
  await page.waitForFunction((id) => document.querySelector('#flist li.f.sel')?.dataset.id !== id, confirmed);
  await page.keyboard.press('j');
  await page.keyboard.press('k');
  const dismissed = await selId();
  check(dismissed && dismissed !== confirmed, 'another finding is selected');
  await page.fill('#decide textarea[name=note]', 'Không phải trường hợp cần xử lý');
  await page.evaluate(() => document.activeElement?.blur());
  await page.keyboard.press('d');
  await page.waitForFunction(() => document.getElementById('flash').textContent.startsWith('Đã lưu: Đã bỏ qua'));
  // And one needing amendment, with its proposal, body in charge and deadline.
  await page.waitForFunction((id) => document.querySelector('#flist li.f.sel')?.dataset.id !== id, dismissed);
  const toAmend = await selId();
  await page.evaluate(() => document.activeElement?.blur());
  await page.keyboard.press('a');
  await page.waitForSelector('#amend:not([hidden])');
  await page.selectOption('#amend select[name=proposal]', 'replace');
  await page.fill('#amend input[name=body_in_charge]', 'Ủy ban nhân dân xã Phú Thạnh');
  await page.fill('#amend input[name=deadline]', '2027-06-30');
  await shot('kien-nghi-sua-doi');
  await page.click('#save-amend');
  await page.waitForFunction(() => document.getElementById('flash').textContent.startsWith('Đã lưu: Cần sửa đổi'));
  const after = Number(/^Đã quyết định (\d+) \//.exec(await page.locator('#progress-text').innerText())?.[1]);
  check(before > 0 || after === 3, `progress counts the three decisions (${before} → ${after})`);
  check((await page.locator(`#flist li.f[data-id="${confirmed}"] .state-confirmed`).count()) === 1, 'the confirmed finding is marked');
  check((await page.locator(`#flist li.f[data-id="${dismissed}"] .state-dismissed`).count()) === 1, 'the dismissed finding is marked');
  await page.locator(`#flist li.f[data-id="${dismissed}"]`).click();
  await page.waitForSelector('#detail .card');
  await shot('da-quyet-dinh');
  console.log(`flash: ${await flashText()}`);

  // 8. The lists: the expired list has the confirmed finding's document; download the XLSX.
  await page.click(`a[href="#/lists/${run}"]`);
  await page.waitForSelector('#dl-xlsx');
  const rows = await page.locator('table.grid tbody tr').count();
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#dl-xlsx')]);
  const xlsx = path.join(shots, download.suggestedFilename());
  await download.saveAs(xlsx);
  const head = fs.readFileSync(xlsx).subarray(0, 2).toString('latin1');
  check(head === 'PK', 'the download is an XLSX (zip) file');
  await shot('danh-muc-het-hieu-luc');
  await page.click(`.tabs a[href="#/lists/${run}?list=to_amend"]`);
  await page.waitForFunction(() => document.querySelector('.tabs a.active')?.textContent.includes('sửa đổi'));
  await page.waitForSelector('table.grid tbody tr td:nth-child(2) a');
  await shot('danh-muc-can-sua-doi');

  // 8b. "/" goes to the search field from anywhere.
  await page.evaluate(() => document.activeElement?.blur());
  await page.keyboard.press('/');
  await page.waitForFunction(() => document.activeElement?.id === 'q');

  // 8c. A second run a year and a half later: the diff with the first, decisions carried over.
  await page.click('[data-nav=runs]');
  await page.waitForSelector('#newrun');
  await page.fill('#newrun input[name=as_of]', '2027-07-01');
  await page.click('#newrun button');
  await page.waitForURL((u) => /#\/run\/\d+/.test(u.hash) && !u.hash.startsWith(`#/run/${run}`), { timeout: 120000 });
  const run2 = Number(/#\/run\/(\d+)/.exec(page.url())[1]);
  await page.waitForSelector('#flist li.f');
  await page.click(`a[href="#/lists/${run2}"]`);
  await page.waitForSelector('#dl-xlsx');
  const diffText = await page.locator('.card', { hasText: 'So sánh với đợt trước' }).innerText();
  const carried = Number(/\((\d+) giữ quyết định từ đợt trước\)/.exec(diffText)?.[1]);
  check(diffText.includes(`So với đợt ${run}:`) && carried >= 3, `the diff with run ${run} carries the decisions: ${diffText}`);
  await page.locator('.card', { hasText: 'So sánh với đợt trước' }).scrollIntoViewIfNeeded();
  await shot('so-sanh-voi-dot-truoc');

  // 9. A reader's token sees no decision controls.
  if (readerToken) {
    await page.click('#signout-btn');
    await page.waitForFunction(() => document.body.dataset.role === 'none');
    await page.fill('#token', readerToken);
    await page.click('#signin-btn');
    await page.waitForFunction(() => document.body.dataset.role === 'reader');
    await page.goto(`${base}/#/run/${run}?f=${confirmed}`);
    await page.waitForSelector('#detail h2');
    check((await page.locator('#decide').count()) === 0, 'no decision controls for a reader');
    await page.keyboard.press('d');
    await page.waitForTimeout(300);
    check(!(await flashText()).startsWith('Đã lưu'), 'a reader\'s keys decide nothing');
    await page.click('[data-nav=runs]');
    await page.waitForSelector('table.grid');
    check((await page.locator('#newrun').count()) === 0, 'no run button for a reader');
    await page.goto(`${base}/#/run/${run}?f=${confirmed}`);
    await page.waitForSelector('#detail h2');
    await shot('nguoi-doc-khong-co-nut-quyet-dinh');
  }

  check(foreign.length === 0, `requests to other hosts: ${foreign.join(', ')}`);
  check(problems.length === 0, `errors in the page: ${problems.join(' | ')}`);
  console.log(JSON.stringify({ run, confirmed, dismissed, needs_amendment: toAmend, xlsx, expired_rows: rows }));
} finally {
  await context.close();
  fs.rmSync(profile, { recursive: true, force: true });
}
