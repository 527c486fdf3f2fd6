// The same pages in Firefox (Debian's firefox-esr, driven over WebDriver
// BiDi by puppeteer-core: no browser download): a case sent from the
// pages, its sheet answered and submitted by the vendor through the link,
// the review completed from My queue.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import puppeteer from 'puppeteer-core';
import { PAGES, PASSWORD, OUT, apiAs, uniq } from './lib.mjs';

let browser = null;
after(async () => browser?.close());

async function firefoxPage(user, lang) {
	browser ??= await puppeteer.launch({
		browser: 'firefox', headless: true,
		executablePath: process.env.VR_FIREFOX || '/usr/bin/firefox-esr',
	});
	const ctx = await browser.createBrowserContext();
	const page = await ctx.newPage();
	await page.setViewport({ width: 1280, height: 900 });
	page.errors = [];
	page.on('pageerror', e => page.errors.push(String(e)));
	if (user)
		await page.authenticate({ username: user, password: PASSWORD });
	// The language first, on a page of the origin, then the page itself.
	await page.goto(`${PAGES}answer/`);
	await page.evaluate(l => localStorage.setItem('vendor-review.lang', l), lang);
	await page.goto('about:blank');
	return page;
}

async function textOf(page, sel) {
	return page.$eval(sel, e => e.textContent);
}

test('Firefox: send a case, the vendor answers it, the review completes', async () => {
	const api = await apiAs('requester1');
	const v = await api.call('POST', '/vendors', { name: uniq('火狐試験'), personal_data: 'le_1000' });
	await api.dispose();

	const req = await firefoxPage('requester1', 'ja');
	await req.goto(`${PAGES}#/vendors/${v.id}`);
	await req.waitForSelector('main h1');
	assert.equal(await textOf(req, 'main h1'), v.name);
	const start = await req.waitForSelector('xpath/.//button[contains(., "新規委託先評価を開始")]');
	await start.click();
	await req.waitForSelector('button[data-action=send_to_vendor]');
	const caseId = Number(req.url().match(/assessments\/(\d+)/)[1]);
	await req.click('button[data-action=send_to_vendor]');
	await req.waitForSelector('input.copy');
	const link = await req.$eval('input.copy', e => e.value);
	assert.match(link, /\/vendor-review\/answer\/#[0-9a-f]{32}$/);

	const vendor = await firefoxPage(null, 'en');
	await vendor.goto(link);
	await vendor.waitForSelector('.question');
	for (const q of await vendor.$$('.question')) {
		const first = await q.$('input[type=radio], input[type=checkbox]');
		if (first) {
			await first.click();
			continue;
		}
		const num = await q.$('input[type=number]');
		const date = await q.$('input[type=date]');
		if (num)
			await num.type('3');
		else if (date)
			await date.evaluate(e => { e.value = '2026-04-01'; e.dispatchEvent(new Event('change')); });
		else
			await (await q.$('textarea')).type('Firefox で回答');
		await vendor.keyboard.press('Tab');
	}
	await vendor.waitForFunction(() => /Saved/.test(document.querySelector('.save-status').textContent), { timeout: 20000 })
		.catch(async e => { throw new Error(`${e.message}; status: ${await textOf(vendor, '.save-status')}; ${await textOf(vendor, '#sheet-progress-label')}`); });
	const [answered, required] = (await textOf(vendor, '#sheet-progress-label')).match(/\d+/g).map(Number);
	assert.equal(answered, required, 'every required question answered in Firefox');
	await vendor.screenshot({ path: `${OUT}/firefox-en-vendor-sheet.png` });
	await vendor.click('.sheet-actions button.primary');
	await vendor.waitForFunction(() => /Thank you/.test(document.querySelector('main').textContent), { timeout: 20000 });

	const rev = await firefoxPage('reviewer1', 'en');
	await rev.goto(`${PAGES}#/my-queue`);
	await rev.waitForSelector(`[data-case="assessments/${caseId}"] button[data-action=complete_review]`);
	await rev.click(`[data-case="assessments/${caseId}"] button[data-action=complete_review]`);
	await rev.waitForFunction(id => !document.querySelector(`[data-case="assessments/${id}"] button[data-action=complete_review]`),
		{ timeout: 20000 }, caseId);
	await rev.screenshot({ path: `${OUT}/firefox-en-queue.png` });
	const check = await apiAs('reviewer1');
	assert.equal((await check.call('GET', `/assessments/${caseId}`)).state, 'reviewed',
		'the click in Firefox completed the review');
	await check.dispose();
	for (const p of [req, vendor, rev])
		assert.deepEqual(p.errors, [], 'no script errors in Firefox');
});
