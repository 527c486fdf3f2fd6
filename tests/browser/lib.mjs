// Shared by the browser tests: Debian's Chromium driven by
// playwright-core against the test instance's nginx, one browser
// context per user (HTTP basic auth, as the demo's nginx asks), axe-core
// for accessibility, screenshots under VR_BROWSER_OUT.

import { chromium, request as pwRequest } from 'playwright-core';
import { readFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import assert from 'node:assert/strict';

export const BASE = process.env.VR_BROWSER_BASE || 'http://127.0.0.1:8080';
export const OUT = process.env.VR_BROWSER_OUT || 'out';
export const PASSWORD = process.env.VR_BROWSER_PASSWORD || 'demo';
export const PAGES = `${BASE}/vendor-review/`;
const API = `${BASE}/vendor-review/api`;
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

mkdirSync(OUT, { recursive: true });

let browser = null;
export async function launch() {
	browser ??= await chromium.launch({
		executablePath: process.env.VR_CHROMIUM || '/usr/bin/chromium',
		headless: true,
		args: process.getuid && process.getuid() === 0 ? ['--no-sandbox'] : [],
	});
	return browser;
}

export async function close() {
	await browser?.close();
	browser = null;
}

// A page signed in as user (null: nobody, as the vendor), in lang.
export async function pageAs(user, lang = 'ja', viewport = { width: 1280, height: 900 }) {
	const b = await launch();
	const ctx = await b.newContext({
		viewport, locale: lang === 'ja' ? 'ja-JP' : 'en-GB',
		// The pages' CSP forbids inline scripts: axe-core is injected as one.
		bypassCSP: true,
		httpCredentials: user ? { username: user, password: PASSWORD } : undefined,
	});
	await ctx.addInitScript(l => {
		if (!localStorage.getItem('vendor-review.lang'))
			localStorage.setItem('vendor-review.lang', l);
	}, lang);
	const page = await ctx.newPage();
	page.consoleErrors = [];
	page.on('pageerror', e => page.consoleErrors.push(String(e)));
	return page;
}

// The API as user, for setting up cases the test does not click through.
export async function apiAs(user) {
	const ctx = await pwRequest.newContext({
		baseURL: `${API}/`, httpCredentials: { username: user, password: PASSWORD },
		extraHTTPHeaders: { Accept: 'application/json' },
	});
	const call = async (method, path, data) => {
		const r = await ctx.fetch(path.replace(/^\//, ''), { method, data });
		const body = (r.headers()['content-type'] || '').includes('json') ? await r.json() : await r.text();
		if (!r.ok())
			throw new Error(`${method} ${path}: ${r.status()} ${JSON.stringify(body)}`);
		return body;
	};
	return { call, dispose: () => ctx.dispose() };
}

// Zero serious or critical axe-core violations on the page as it is.
export async function checkA11y(page, label) {
	await page.addScriptTag({ content: AXE });
	const res = await page.evaluate(async () => await window.axe.run(document, { resultTypes: ['violations'] }));
	const bad = res.violations.filter(v => ['serious', 'critical'].includes(v.impact));
	assert.deepEqual(bad.map(v => `${v.id}: ${v.nodes.map(n => n.target.join(' ')).slice(0, 3).join(', ')}`), [],
		`${label}: serious/critical accessibility violations`);
	return res.violations.length;
}

export async function shot(page, name) {
	await page.screenshot({ path: `${OUT}/${name}.png`, fullPage: true });
}

export function uniq(prefix) {
	return `${prefix}${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}

// A case answered (best answers) and submitted, via the API.
export function bestAnswers(questions) {
	return questions.map(q => {
		let value = { yes_no: 'yes', number: 1, date: '2026-04-01', text: 'x' }[q.type];
		if (q.type === 'single_choice')
			value = q.options.reduce((a, b) => (b.score > a.score ? b : a)).code;
		if (q.type === 'multiple_choice')
			value = [q.options.reduce((a, b) => (b.score > a.score ? b : a)).code];
		return { question: q.code, value };
	});
}
