// Browser test of Duly's dashboard, run by run.sh against a live `duly serve`:
// the first-start password change, the officer's queue, a case page, an action
// that takes the case off the queue, the manager's report changing, a
// manager's correction of a customer's record and their subject access
// download, and an accessibility check of each main page (labels, one h1,
// text contrast of at least 4.5:1, a skip link and a visible focus for
// keyboard users). Every page is screenshotted into ARTIFACTS.
// Content-Security-Policy violations reported by Chromium fail the test. A
// password reset with `duly user passwd` reaches the running server and ends the officer's session.
import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const base = process.env.DULY_URL;
const artifacts = process.env.ARTIFACTS;
const oneTime = Object.fromEntries(
  readFileSync(process.env.PASSWORDS, 'utf8').split('\n').filter((l) => l && !l.startsWith('#')).map((l) => l.split('\t')));

let passed = 0;
let failed = 0;
// The audit log as `duly audit show` prints it: it is kept in the store,
// which serve and the commands share.
function auditLog() {
  return String(execFileSync(process.env.DULY, ['--home', process.env.DULY_HOME, '--db', process.env.DULY_DB,
    'audit', 'show', '--config', process.env.DULY_CONFIG]));
}

async function step(name, fn) {
  try {
    await fn();
    passed++;
    console.log(`ok - ${name}`);
  } catch (e) {
    failed++;
    console.log(`not ok - ${name}\n  ${String(e.stack || e).split('\n').join('\n  ')}`);
  }
}

async function shot(page, name) {
  await page.screenshot({ path: path.join(artifacts, `${name}.png`), fullPage: true });
}

// Checks that need the rendered page: labels, headings, contrast, focus.
async function accessibility(page, name) {
  await page.reload();  // a fresh page: focus starts at the top
  const problems = await page.evaluate(() => {
    const out = [];
    if (!document.documentElement.lang) out.push('the html element has no lang');
    const h1 = document.querySelectorAll('h1').length;
    if (h1 !== 1) out.push(`${h1} h1 headings (expected 1)`);
    if (!document.querySelector('main')) out.push('no main landmark');
    for (const el of document.querySelectorAll('input, select, textarea')) {
      if (el.type === 'hidden') continue;
      if (!(el.labels && el.labels.length) && !el.getAttribute('aria-label')) out.push(`no label for ${el.outerHTML.slice(0, 80)}`);
    }
    const rgb = (s) => (s.match(/[\d.]+/g) || []).map(Number);
    const lum = ([r, g, b]) => {
      const f = (c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
      return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    const background = (el) => {
      for (let e = el; e; e = e.parentElement) {
        const c = rgb(getComputedStyle(e).backgroundColor);
        if (c.length === 3 || (c.length === 4 && c[3] > 0)) return c.slice(0, 3);
      }
      return [255, 255, 255];
    };
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const seen = new Set();
    while (walker.nextNode()) {
      const el = walker.currentNode.parentElement;
      if (!walker.currentNode.textContent.trim() || seen.has(el)) continue;
      seen.add(el);
      const style = getComputedStyle(el);
      const box = el.getBoundingClientRect();
      if (style.visibility === 'hidden' || style.display === 'none' || box.width === 0 || box.left < -100) continue;
      if (el.closest('svg')) continue;
      const fg = lum(rgb(style.color)), bg = lum(background(el));
      const ratio = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
      const large = parseFloat(style.fontSize) >= 24 || (parseFloat(style.fontSize) >= 18.66 && Number(style.fontWeight) >= 700);
      if (ratio < (large ? 3 : 4.5)) out.push(`contrast ${ratio.toFixed(2)}:1 for "${el.textContent.trim().slice(0, 40)}"`);
    }
    return out;
  });
  assert.deepEqual(problems, [], `${name}: ${problems.join('; ')}`);
  // Keyboard: the first Tab reaches the skip link, which moves focus to main;
  // the next Tabs land on visible, outlined controls.
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.className), 'skip', `${name}: first Tab is not the skip link`);
  await page.keyboard.press('Enter');
  await page.keyboard.press('Tab');
  const focus = await page.evaluate(() => {
    const el = document.activeElement;
    const s = getComputedStyle(el);
    return { tag: el.tagName, inMain: !!el.closest('main'), outline: s.outlineStyle, shadow: s.boxShadow };
  });
  assert.ok(focus.outline !== 'none' || focus.shadow !== 'none', `${name}: focused ${focus.tag} has no visible focus`);
  assert.ok(focus.inMain, `${name}: after the skip link, Tab went to ${focus.tag} outside main`);
}

async function signInFirstTime(context, user) {
  const page = await context.newPage();
  await page.goto(`${base}/my-work`);
  assert.match(page.url(), /\/sign-in\?next=%2Fmy-work$/);
  await page.getByLabel('Your Duly user name').fill(user);
  await page.getByLabel('Password').fill(oneTime[user]);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(/\/password$/);
  return page;
}

async function choosePassword(page, user) {
  await page.getByLabel('Your current password').fill(oneTime[user]);
  await page.getByLabel('New password', { exact: true }).fill(`a new pass phrase for ${user}`);
  await page.getByLabel('New password again').fill(`a new pass phrase for ${user}`);
  await page.getByRole('button', { name: 'Save the new password' }).click();
  await page.waitForURL(/\/my-work$/);
}

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
         '--disable-component-update', '--disable-sync'],
});
const cspViolations = [];
const officer = await browser.newContext({ viewport: { width: 1280, height: 900 } });
const manager = await browser.newContext({ viewport: { width: 1280, height: 900 } });
for (const ctx of [officer, manager])
  ctx.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text()); });

let page, boss, caseRef, answeredBefore;

await step('sign in with a one-time password and choose a new one', async () => {
  page = await signInFirstTime(officer, 'sali');
  await shot(page, '02-password');
  await accessibility(page, 'password');
  await choosePassword(page, 'sali');
  const cookies = await officer.cookies();
  const session = cookies.find((c) => c.name === 'duly_session');
  assert.ok(session, 'no session cookie');
  assert.equal(session.httpOnly, true);
  assert.equal(session.sameSite, 'Strict');
});

await step('the sign-in page is accessible', async () => {
  const anon = await browser.newPage();
  await anon.goto(`${base}/sign-in`);
  await shot(anon, '01-sign-in');
  await accessibility(anon, 'sign-in');
  await anon.close();
});

await step('the manager sees the report before', async () => {
  boss = await signInFirstTime(manager, 'rhughes');
  await choosePassword(boss, 'rhughes');
  await boss.goto(`${base}/reports`);
  answeredBefore = (await boss.locator('tr.total td').nth(2).innerText()).trim();
  assert.match(answeredBefore, /of \d+\)/);
});

await step('my work lists what is due, most urgent first, in plain words', async () => {
  await page.goto(`${base}/my-work`);
  await shot(page, '03-my-work');
  await accessibility(page, 'my work');
  await assert.doesNotReject(page.getByRole('heading', { level: 1, name: 'My work' }).waitFor());
  const first = page.locator('table.queue tbody tr').first();
  assert.match(await first.innerText(), /(Acknowledge|Reply|Send a holding reply) by \w+day \d+ \w+/);
  const headings = await page.locator('section h2').allInnerTexts();
  const order = ['Overdue', 'Due today', 'Due next working day', 'Due later'];
  const positions = headings.map((h) => order.findIndex((o) => h.includes(o)));
  assert.deepEqual(positions, [...positions].sort((a, b) => a - b), `sections out of order: ${headings}`);
  if (headings.some((h) => h.includes('Overdue'))) assert.match(await page.locator('#h-overdue').innerText(), /⚠ Overdue/);
});

await step('open a case and record the reply; it leaves the queue', async () => {
  const replyRow = page.locator('table.queue tbody tr', { hasText: /^Reply by/ }).first();
  caseRef = (await replyRow.locator('a').first().innerText()).trim();
  await replyRow.locator('a').first().click();
  await page.waitForURL(new RegExp(`/cases/${caseRef}$`));
  await page.locator('details', { hasText: 'How these dates were worked out' }).locator('summary').click();
  await shot(page, '04-case');
  await accessibility(page, 'case');
  // Write the reply and preview it in the customer's letter.
  await page.getByLabel('Your reply').fill('Our joiner will fix the back door on Friday morning.');
  await page.getByRole('button', { name: 'Preview the letter' }).click();
  const preview = page.locator('section.preview pre');
  await preview.waitFor();
  assert.match(await preview.innerText(), /Our joiner will fix the back door on Friday morning\./);
  assert.equal(await page.getByLabel('Your reply').inputValue(), 'Our joiner will fix the back door on Friday morning.');
  await shot(page, '04-case-preview');
  await page.getByRole('button', { name: 'Send reply' }).click();
  await page.waitForURL(/\?done=reply$/);
  assert.match(await page.getByRole('status').innerText(), /Your reply is recorded/);
  // The reply went to the customer (or, for a customer who reads letters,
  // was queued for the print run), and the timeline says which.
  assert.match(await page.locator('body').innerText(), /Replied: reply (sent by email to \S+@\S+|queued for the post to .* \(printed by the next print run\))/);
  await page.goto(`${base}/my-work`);
  assert.equal(await page.locator(`table.queue a:text-is("${caseRef}")`).count(), 0, `${caseRef} is still in the queue`);
});

await step('wait on the customer: the clock pauses, the case page says so, and it resumes', async () => {
  // The first case of the team not yet overdue whose charter lets the
  // clock pause (a letter, email or web enquiry).
  const refs = [];
  for (const queue of ['/my-work', '/team/jwong']) {
    await page.goto(`${base}${queue}`);
    const rows = page.locator('table.queue:not(.queue-overdue) tbody tr', { hasText: /^Reply by/ });
    for (let i = 0; i < await rows.count(); i++) refs.push((await rows.nth(i).locator('a').first().innerText()).trim());
  }
  let ref = null;
  for (const r of refs) {
    await page.goto(`${base}/cases/${r}`);
    if (await page.getByRole('button', { name: 'Pause the clock' }).count()) { ref = r; break; }
  }
  assert.ok(ref, `no case in the queue offers a pause (${refs.join(', ')})`);
  await page.getByLabel('What have you asked them for?').fill('A photo of the damaged window frame.');
  await page.getByRole('button', { name: 'Pause the clock' }).click();
  await page.waitForURL(/\?done=wait$/);
  assert.match(await page.locator('div.notice').innerText(), /The clock is paused/);
  const box = await page.locator('div.paused').innerText();
  assert.match(box, /Waiting on the customer/);
  assert.match(box, /paused since \w+day \d+ \w+, [\d:]+[ap]m: 0 working days so far/);
  assert.match(box, /A photo of the damaged window frame\./);
  assert.match(box, /the answer will be due \w+day \d+ \w+/);
  assert.match(await page.locator('ul.deadlines').innerText(), /Paused: waiting on the customer/);
  await shot(page, '09-case-paused');
  await accessibility(page, 'case paused');
  // Off the officer's due list, on their waiting list.
  const owner = await page.locator('dl.summary dd').nth(2).innerText();
  await page.goto(`${base}${owner.includes('Samir Ali') ? '/my-work' : '/team/jwong'}`);
  assert.equal(await page.locator(`table.queue:not(.queue-paused) a:text-is("${ref}")`).count(), 0, `${ref} is still due`);
  const waiting = page.locator('table.queue-paused');
  assert.equal(await waiting.locator(`a:text-is("${ref}")`).count(), 1, `${ref} is not in the waiting list`);
  await shot(page, '10-queue-waiting');
  await page.goto(`${base}/cases/${ref}`);
  await page.getByRole('button', { name: 'Resume the clock' }).click();
  await page.waitForURL(/\?done=resume$/);
  assert.match(await page.locator('body').innerText(), /Clock resumed: clock paused for 0 working days; answer now due/);
});

await step('the report changes', async () => {
  await boss.goto(`${base}/reports`);
  const after = (await boss.locator('tr.total td').nth(2).innerText()).trim();
  assert.notEqual(after, answeredBefore, 'the answered figures did not change');
  await shot(boss, '05-report');
  await accessibility(boss, 'report');
  const csv = await boss.request.get(`${base}/reports.csv`);
  assert.equal(csv.status(), 200);
  assert.match(await csv.text(), /^channel,cases,/);
  await boss.goto(`${base}/reports/summary`);
  await shot(boss, '06-summary');
  await boss.goto(`${base}/team`);
  await shot(boss, '07-team');
  await accessibility(boss, 'team');
});

await step('the complaint-handling self-assessment, with its CSV', async () => {
  await boss.goto(`${base}/reports`);
  await boss.getByRole('link', { name: 'Complaint handling self-assessment' }).click();
  await boss.waitForURL(/\/reports\/self-assessment$/);
  // The number of homes is the charters' [complaints] homes: there is no field for it.
  assert.equal(await boss.getByLabel('Homes you manage').count(), 0);
  assert.match(await boss.locator('main').innerText(), /Homes managed: /);
  await boss.getByRole('button', { name: 'Show' }).click();
  await boss.waitForURL(/\/reports\/self-assessment\?from=/);
  const table = await boss.locator('table.numbers').first().innerText();
  assert.match(table, /Complaints received\s+\d+\s+\d+/);
  assert.match(table, /Per 1,000 homes\s+(\d+\.\d|—)\s+(\d+\.\d|—)/);
  await shot(boss, '11-self-assessment');
  await accessibility(boss, 'self-assessment');
  const csv = await boss.request.get(`${base}/reports/self-assessment.csv`);
  assert.equal(csv.status(), 200);
  assert.match(await csv.text(), /^measure,stage_1,stage_2\r\n/);
});

await step('a manager corrects a customer\'s record and downloads everything held about them', async () => {
  await boss.goto(`${base}/customers/C10001`);
  await assert.doesNotReject(boss.getByRole('heading', { level: 1, name: /Mrs Nasreen Akhtar/ }).waitFor());
  await accessibility(boss, 'customer');
  // A bad postcode is refused, the form keeps what was typed, nothing changes.
  await boss.getByLabel('Postcode').fill('NOT A POSTCODE');
  await boss.getByRole('button', { name: 'Save the corrections' }).click();
  assert.match(await boss.locator('.error-summary').innerText(), /postcode: expected a UK postcode such as PR25 2LW, or nothing, found "NOT A POSTCODE"/);
  assert.equal(await boss.getByLabel('Postcode').inputValue(), 'NOT A POSTCODE');
  await boss.goto(`${base}/customers/C10001`);
  assert.equal(await boss.getByLabel('Postcode').inputValue(), 'PR25 3AB');
  // A good one is saved and kept in the history with who and when.
  await boss.getByLabel('Postcode').fill('pr25 9zz');
  await boss.getByLabel(/^Formats/).fill('large-print');
  await boss.getByRole('button', { name: 'Save the corrections' }).click();
  await boss.waitForURL(/\/customers\/C10001\?done=edit$/);
  assert.match(await boss.getByRole('status').innerText(), /The record is corrected/);
  assert.equal(await boss.getByLabel('Postcode').inputValue(), 'PR25 9ZZ');
  const history = await boss.locator('table').last().innerText();
  assert.match(history, /rhughes\s+postcode\s+PR25 3AB\s+PR25 9ZZ/);
  assert.match(history, /rhughes\s+formats\s+large-print/);
  await shot(boss, '12-customer');
  // The download: a zip with index.html and data.json, and audited.
  const [download] = await Promise.all([
    boss.waitForEvent('download'),
    boss.getByRole('button', { name: 'Download everything we hold' }).click(),
  ]);
  assert.match(download.suggestedFilename(), /^duly-subject-access-C10001-\d{4}-\d{2}-\d{2}\.zip$/);
  const file = path.join(artifacts, 'C10001.zip');
  await download.saveAs(file);
  const zip = readFileSync(file);
  assert.equal(zip.subarray(0, 4).toString('binary'), 'PK\x03\x04');
  assert.ok(zip.includes('index.html') && zip.includes('data.json'), 'index.html or data.json missing from the zip');
  const log = auditLog();
  assert.match(log, /\trhughes\tcorrected customer\tC10001\tpostcode, formats\n/);
  assert.match(log, /\trhughes\texported customer\tC10001\t\d+ bytes\n/);
  // The record as the command line sees it.
  const shown = String(execFileSync(process.env.DULY, ['--home', process.env.DULY_HOME, '--db', process.env.DULY_DB,
    'customer', 'show', 'C10001', '--config', process.env.DULY_CONFIG]));
  assert.match(shown, /PR25 9ZZ/);
});

await step('an officer logs an answerphone message, it is on their queue as a call-back, and the calls are recorded', async () => {
  await page.goto(`${base}/my-work`);
  await page.getByRole('link', { name: 'Log a phone message or call-back request' }).click();
  await page.waitForURL(/\/phone-messages\/new$/);
  await accessibility(page, 'log a phone message');
  await page.getByLabel('Landlord').selectOption('paragon');
  await page.getByLabel('Customer reference').fill('C10001');
  await page.getByLabel('Who called').fill('Mrs Akhtar');
  await page.getByLabel('Number to call back').fill('07700 900111');
  await page.getByLabel('What it is about').fill('Boiler pressure keeps dropping');
  await page.getByLabel('The message').fill('Please ring me back this afternoon.');
  await page.getByLabel(/^Urgent/).check();
  await shot(page, '13-log-phone-message');
  await page.getByRole('button', { name: 'Log the message' }).click();
  await page.waitForURL(/\/cases\/PHA-\d{4}-\d{5}\?done=phone-message$/);
  const ref = page.url().match(/(PHA-\d{4}-\d{5})/)[1];
  assert.match(await page.locator('div.notice').innerText(), /The phone message is logged/);
  const task = await page.locator('div.call-task').innerText();
  assert.match(task, /Call back 07700 900111 about this message\./);
  assert.match(task, /0 calls not answered so far\. After 3 more, Duly writes to the customer instead\./);
  await page.getByLabel('No answer, I left a message').check();
  await page.getByLabel('Note').fill('Left a message asking her to ring back.');
  await page.getByRole('button', { name: 'Record call' }).click();
  await page.waitForURL(/\?done=call$/);
  assert.match(await page.locator('table.calls').innerText(), /07700 900111\s+No answer, message left/);
  assert.match(await page.locator('div.call-task').innerText(), /1 call not answered so far/);
  await shot(page, '14-case-calls');
  await accessibility(page, 'case calls');
  await page.goto(`${base}/my-work`);
  const row = page.locator('table.queue tbody tr', { hasText: ref });
  assert.match(await row.first().innerText(), /Call back 07700 900111 by/);
  // The answered call answers the message and takes it off the queue.
  await page.goto(`${base}/cases/${ref}`);
  await page.getByLabel('They answered').check();
  await page.getByRole('button', { name: 'Record call' }).click();
  await page.waitForURL(/\?done=call$/);
  assert.match(await page.locator('dl.summary').innerText(), /Closed/);
  await page.goto(`${base}/my-work`);
  assert.equal(await page.locator(`table.queue a:text-is("${ref}")`).count(), 0, `${ref} is still in the queue`);
});

await step('an officer is refused a customer\'s record', async () => {
  const r = await page.goto(`${base}/customers/C10001`);
  assert.equal(r.status(), 403);
});

await step('an officer is refused the report and another team\'s case', async () => {
  const r = await page.goto(`${base}/reports`);
  assert.equal(r.status(), 403);
  await shot(page, '08-refused');
});

await step('a password reset with duly user passwd ends the session at once and the new password works', async () => {
  // The administrator resets sali's password from the command line while
  // `duly serve` runs: no restart.
  const out = execFileSync(process.env.DULY, ['--home', process.env.DULY_HOME, '--db', process.env.DULY_DB, 'user',
    'passwd', 'sali', '--stdin', '--config', process.env.DULY_CONFIG], { input: 'set by the administrator\n' });
  assert.match(String(out), /password set for sali/);
  await page.goto(`${base}/my-work`);
  assert.match(page.url(), /\/sign-in\?next=%2Fmy-work$/);
  await page.getByLabel('Your Duly user name').fill('sali');
  await page.getByLabel('Password').fill('a new pass phrase for sali');
  await page.getByRole('button', { name: 'Sign in' }).click();
  assert.match(await page.locator('.error-summary').innerText(), /not right/);
  await page.getByLabel('Your Duly user name').fill('sali');
  await page.getByLabel('Password').fill('set by the administrator');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(/\/my-work$/);
  assert.match(auditLog(), /\tsali\tsession ended\t/);
});

await step('no Content-Security-Policy violations', async () => {
  assert.deepEqual(cspViolations, []);
});

await browser.close();
console.log(`\nbrowser: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
