// The onboarding from request to approval, clicked through the pages in
// each language: requester1 registers a vendor and sends the sheet, the
// vendor answers it through its link with no login, reviewer1 raises a
// finding and completes the review, approver1 accepts the finding's risk
// and approves, and auditor1 sees the dashboard count the new vendor.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { request as pwRequest } from 'playwright-core';
import { BASE, PAGES, pageAs, apiAs, checkA11y, shot, uniq, close, bestAnswers } from './lib.mjs';

after(close);

// The approved count of a tier in the dashboard's table of vendors.
async function approvedCount(page, tierLabel, approvedLabel) {
	await page.goto(`${PAGES}#/vendors`);
	await page.locator('table.list').waitFor();
	await page.goto(`${PAGES}#/dashboard`);
	const table = page.locator('#chart-vendors table');
	await table.waitFor({ state: 'attached' });
	const col = (await table.locator('thead th').allTextContents()).indexOf(approvedLabel);
	assert.ok(col > 0, `"${approvedLabel}" column in the vendors table`);
	const row = table.locator('tbody tr', { has: page.locator('th', { hasText: tierLabel }) });
	return Number(await row.locator('td').nth(col - 1).textContent());
}

async function answerEverything(page) {
	for (const q of await page.locator('.question').all()) {
		const radio = q.locator('input[type=radio]');
		const box = q.locator('input[type=checkbox]');
		if (await radio.count())
			await radio.first().check();
		else if (await box.count())
			await box.first().check();
		else if (await q.locator('input[type=number]').count())
			await q.locator('input[type=number]').fill('12');
		else if (await q.locator('input[type=date]').count())
			await q.locator('input[type=date]').fill('2026-04-01');
		else
			await q.locator('textarea').fill('個人データは暗号化して保管します。\n鍵は別に管理します。');
	}
}

for (const lang of ['ja', 'en']) {
	const L = (ja, en) => (lang === 'ja' ? ja : en);

	test(`onboarding from request to approval, clicked through (${lang})`, async () => {
		const auditor = await pageAs('auditor1', lang);
		const tier = L('中リスク', 'Medium'), approved = L('承認済み', 'Approved');
		const before = await approvedCount(auditor, tier, approved);

		// requester1 registers the vendor and starts its onboarding
		const req = await pageAs('requester1', lang);
		const name = uniq(L('ブラウザ試験商事', 'Browser Test Ltd '));
		await req.goto(`${PAGES}#/vendors/new`);
		await checkA11y(req, `vendor form (${lang})`);
		await shot(req, `${lang}-vendor-form`);
		await req.fill('#v-name', name);
		await req.fill('#v-name_kana', 'ブラウザシケンショウジ');
		await req.selectOption('#v-personal_data', 'le_1000');
		await req.fill('#v-contract_start', '2026-04-01');
		await req.fill('#v-contract_end', '2027-03-31');
		await req.click('form.record-form button[type=submit]');
		await req.waitForURL(/#\/vendors\/\d+$/);
		await req.locator('h1', { hasText: name }).waitFor();
		assert.match(await req.textContent('main'), L(/中リスク/, /Medium/), 'the tier is shown');
		assert.match(await req.textContent('main'), L(/契約終了日\s*2027-03-31/, /Contract end\s*2027-03-31/), 'the contract period is shown');
		await checkA11y(req, `vendor detail (${lang})`);
		await shot(req, `${lang}-vendor-detail`);
		await req.click(`text=${L('新規委託先評価を開始', 'Start the onboarding assessment')}`);
		await req.waitForURL(/#\/assessments\/\d+$/);
		const caseId = Number(req.url().match(/assessments\/(\d+)/)[1]);
		await req.click('button[data-action=send_to_vendor]');
		const link = req.locator('input.copy');
		await link.waitFor();
		const vendorPage = await link.inputValue();
		assert.match(vendorPage, /\/vendor-review\/answer\/#[0-9a-f]{32}$/, 'the page to mail to the vendor');
		await checkA11y(req, `case page (${lang})`);
		await shot(req, `${lang}-case-sent`);

		// the vendor answers through the link, with no login
		const vendor = await pageAs(null, lang);
		const seen = [];
		vendor.on('request', r => seen.push(new URL(r.url()).pathname));
		await vendor.goto(vendorPage);
		await vendor.locator('.question').first().waitFor();
		assert.match(await vendor.textContent('h1'), new RegExp(name.slice(0, 8)), 'the vendor sees whose sheet it is');
		await checkA11y(vendor, `vendor sheet (${lang})`);
		await answerEverything(vendor);
		await vendor.locator('.save-status', { hasText: L('保存しました', 'Saved') }).waitFor();
		const progress = await vendor.textContent('#sheet-progress-label');
		const [answered, required] = progress.match(/\d+/g).map(Number);
		assert.equal(answered, required, `every required question answered: ${progress}`);
		await shot(vendor, `${lang}-vendor-sheet`);
		await vendor.click('.sheet-actions button.primary');
		await vendor.locator('[role=status]', { hasText: L('ありがとうございました', 'Thank you') }).waitFor();
		const outside = seen.filter(p => !/^\/vendor-review\/(answer\/|assets\/|i18n\/|vendor\/[0-9a-f]{32}(\/|$))/.test(p));
		assert.deepEqual(outside, [], 'the vendor page asked for nothing but its own case');
		assert.equal(vendor.consoleErrors.length, 0, vendor.consoleErrors.join('; '));

		// reviewer1: from the queue, a finding, then complete_review
		const rev = await pageAs('reviewer1', lang);
		await rev.goto(`${PAGES}#/my-queue`);
		const item = rev.locator(`[data-case="assessments/${caseId}"]`);
		await item.waitFor();
		await checkA11y(rev, `my queue (${lang})`);
		await shot(rev, `${lang}-queue-reviewer`);
		await item.locator('h3 a').click();
		await rev.waitForURL(new RegExp(`#/assessments/${caseId}$`));
		const form = rev.locator('form.record-form.compact');
		await form.locator('select').selectOption('high');
		await form.locator('textarea').first().fill(L('アクセスログの保存期間が短い', 'Access logs are kept too briefly'));
		await form.locator('button[type=submit]').click();
		await rev.locator('table.findings td', { hasText: L('アクセスログ', 'Access logs') }).waitFor();
		await rev.click('button[data-action=complete_review]');
		await rev.locator('.notice.done', { hasText: L('実行しました', 'done') }).waitFor();
		await rev.locator('.badge.state', { hasText: L('レビュー済み', 'Reviewed') }).waitFor();

		// approver1: approve refused while the high finding is open, then
		// accept its risk and approve
		const appr = await pageAs('approver1', lang);
		await appr.goto(`${PAGES}#/assessments/${caseId}`);
		await appr.locator('.actions').waitFor();
		assert.equal(await appr.locator('button[data-action=approve]').count(), 0,
			'no approve button while a high finding is open');
		const row = appr.locator('table.findings tr', { hasText: L('アクセスログ', 'Access logs') });
		await row.locator('input[name=reason]').fill(L('次回監査までに是正', 'Fixed by the next audit'));
		await row.locator('input[name=until]').fill('2027-06-30');
		await row.locator('button[type=submit]').click();
		await appr.locator('table.findings td', { hasText: L('リスク受容', 'Risk accepted') }).waitFor();
		await appr.locator('button[data-action=approve]').waitFor();
		await checkA11y(appr, `review page (${lang})`);
		await shot(appr, `${lang}-review-approver`);
		await appr.click('button[data-action=approve]');
		await appr.locator('.badge.state', { hasText: L('承認', 'Approved') }).waitFor();

		// auditor1: the dashboard counts it
		assert.equal(await approvedCount(auditor, tier, approved), before + 1, 'one more approved medium-tier vendor');
		await checkA11y(auditor, `dashboard (${lang})`);
		await shot(auditor, `${lang}-dashboard`);
		for (const p of [auditor, req, rev, appr])
			assert.equal(p.consoleErrors.length, 0, p.consoleErrors.join('; '));
	});
}

test('a stale approval says someone else changed it', async () => {
	const api = await apiAs('requester1');
	const v = await api.call('POST', '/vendors', { name: uniq('競合試験') });
	let c = await api.call('POST', '/assessments', { kind: 'onboarding', vendor_id: v.id });
	c = await api.call('PUT', `/assessments/${c.id}/answers`, { answers: bestAnswers(c.questions) });
	c = await api.call('POST', `/assessments/${c.id}/transitions`, { action: 'submit', version: c.version });
	const rev = await apiAs('reviewer1');
	c = await rev.call('POST', `/assessments/${c.id}/transitions`, { action: 'complete_review', version: c.version });
	const page = await pageAs('approver1', 'ja');
	await page.goto(`${PAGES}#/assessments/${c.id}`);
	await page.locator('button[data-action=approve]').waitFor();
	// meanwhile another approver approves it
	const other = await apiAs('approver2');
	const now = await other.call('GET', `/assessments/${c.id}`);
	await other.call('POST', `/assessments/${c.id}/transitions`, { action: 'approve', version: now.version });
	await page.click('button[data-action=approve]');
	const msg = page.locator('.action-message.error');
	await msg.waitFor();
	assert.match(await msg.textContent(), /他の人がこの案件を変更しました/, 'the conflict message');
	await shot(page, 'ja-stale-approval');
	for (const a of [api, rev, other])
		await a.dispose();
});

test('a user without the role sees no button', async () => {
	const api = await apiAs('requester1');
	const v = await api.call('POST', '/vendors', { name: uniq('権限試験') });
	const c = await api.call('POST', '/assessments', { kind: 'onboarding', vendor_id: v.id });
	const page = await pageAs('auditor1', 'en');
	await page.goto(`${PAGES}#/assessments/${c.id}`);
	await page.locator('.actions').waitFor();
	assert.equal(await page.locator('.actions button[data-action]').count(), 0, 'no workflow button for the auditor on a draft');
	assert.match(await page.textContent('.actions'), /Nothing for you to do/);
	const own = await pageAs('requester1', 'en');
	await own.goto(`${PAGES}#/assessments/${c.id}`);
	await own.locator('button[data-action=send_to_vendor]').waitFor();
	assert.equal(await own.locator('button[data-action=approve]').count(), 0, 'no approve button for the requester');
	await api.dispose();
});

test('one click gives an auditor the vendor\'s supervision record; a requester has no such button', async () => {
	const api = await apiAs('requester1');
	const v = await api.call('POST', '/vendors', { name: uniq('監督記録') });
	const page = await pageAs('auditor1', 'ja');
	await page.goto(`${PAGES}#/vendors/${v.id}`);
	const link = page.locator(`a[href$="/vendors/${v.id}/record"]`);
	await link.waitFor();
	assert.match(await link.textContent(), /監督記録/);
	const [dl] = await Promise.all([page.waitForEvent('download'), link.click()]);
	assert.equal(dl.suggestedFilename(), `supervision-record-vendor-${v.id}.zip`, 'the ZIP, named');
	const own = await pageAs('requester1', 'ja');
	await own.goto(`${PAGES}#/vendors/${v.id}`);
	await own.locator('#sec-profile').waitFor();
	assert.equal(await own.locator('a[href$="/record"]').count(), 0, 'no record button for a requester');
	await api.dispose();
});

test('a problem document lands beside its field', async () => {
	for (const lang of ['ja', 'en']) {
		const page = await pageAs('requester1', lang);
		await page.goto(`${PAGES}#/vendors/new`);
		await page.fill('#v-name', uniq('入力誤り'));
		await page.fill('#v-contact_email', 'not-an-address');
		await page.click('form.record-form button[type=submit]');
		const err = page.locator('#v-contact_email-error');
		await err.filter({ hasText: /contact_email|@/ }).waitFor();
		assert.equal(await page.getAttribute('#v-contact_email', 'aria-invalid'), 'true');
		assert.equal(await page.evaluate(() => document.activeElement.id), 'v-contact_email', 'focus moves to the field');
		assert.match(page.url(), /#\/vendors\/new$/, 'nothing saved, still on the form');
		await shot(page, `${lang}-vendor-form-error`);
	}
});

test('the vendor list sorts in 五十音 order and shows certifications', async () => {
	const api = await apiAs('requester1');
	const tok = uniq('K').replace(/[^0-9A-Za-z]/g, '');
	const kana = ['ガッコウ', 'カツコウ', 'カッコウ'];
	const ids = [];
	for (const k of kana)
		ids.push((await api.call('POST', '/vendors', { name: `${tok}${k}`, name_kana: k,
			certifications: [{ kind: 'pmark', number: `P-${k}`, expires_on: '2030-01-31' }] })).id);
	await api.dispose();
	const page = await pageAs('requester1', 'ja');
	await page.goto(`${PAGES}#/vendors?q=${tok}`);
	await page.locator('#f-sort').waitFor();
	await page.selectOption('#f-sort', 'kana');
	await page.click('form.filters button[type=submit]');
	await page.waitForURL(/sort=kana/);
	await page.locator('table.list tbody tr').nth(2).waitFor();
	const got = await page.$$eval('table.list tbody tr td:nth-child(2)', tds => tds.map(td => td.textContent));
	assert.deepEqual(got, ['カッコウ', 'カツコウ', 'ガッコウ'], '五十音順: small kana, then large, then voiced');
	await page.goto(`${PAGES}#/vendors/${ids[0]}`);
	await page.locator('h1', { hasText: tok }).waitFor();
	assert.match(await page.textContent('main'), /プライバシーマーク P-ガッコウ, 有効期限 2030-01-31/, 'a certification is shown');
	await checkA11y(page, 'vendor with certifications (ja)');
});

test('a contract that ends before it starts is refused beside its end', async () => {
	const page = await pageAs('requester1', 'ja');
	await page.goto(`${PAGES}#/vendors/new`);
	await page.fill('#v-name', uniq('契約期間誤り'));
	await page.fill('#v-contract_start', '2026-04-01');
	await page.fill('#v-contract_end', '2026-03-31');
	await page.click('form.record-form button[type=submit]');
	await page.locator('#v-contract_end-error').filter({ hasText: /contract_end/ }).waitFor();
	assert.equal(await page.getAttribute('#v-contract_end', 'aria-invalid'), 'true');
	assert.match(page.url(), /#\/vendors\/new$/, 'nothing saved, still on the form');
});

test('the vendor page reaches nothing of the intranet', async () => {
	const page = await pageAs(null, 'ja');
	await page.goto(`${PAGES}answer/#${'0'.repeat(32)}`);
	await page.locator('[role=alert]').waitFor();
	assert.match(await page.textContent('[role=alert]'), /無効/, 'an unknown link says so');
	// The same origin with no login, as the vendor's browser is: a 401
	// (asked without credentials; a page's fetch would raise a login box).
	const anon = await pwRequest.newContext({ baseURL: BASE });
	for (const u of ['/vendor-review/', '/vendor-review/api/vendors', '/vendor-review/api/me', '/vendor-review/api/stats'])
		assert.equal((await anon.get(u)).status(), 401, `${u} without a login`);
	await anon.dispose();
	await shot(page, 'ja-vendor-bad-link');
});

test('tablet width: the vendor list and the sheet fit', async () => {
	const api = await apiAs('requester1');
	const v = await api.call('POST', '/vendors', { name: uniq('タブレット試験'), personal_data: 'gt_100000' });
	const c = await api.call('POST', '/assessments', { kind: 'onboarding', vendor_id: v.id });
	await api.dispose();
	const page = await pageAs('requester1', 'ja', { width: 768, height: 1024 });
	for (const [name, hash, sel] of [['vendors', '#/vendors', 'table.list'], ['sheet', `#/assessments/${c.id}/sheet`, '.question']]) {
		await page.goto(`${PAGES}${hash}`);
		await page.locator(sel).first().waitFor();
		const width = await page.evaluate(() => document.documentElement.scrollWidth);
		assert.ok(width <= 768, `${name}: no horizontal scroll at 768 px (scrollWidth ${width})`);
		await shot(page, `ja-tablet-${name}`);
	}
});

test('English is one click away, and the choice is remembered', async () => {
	const page = await pageAs('requester1', 'ja');
	await page.goto(`${PAGES}#/vendors`);
	await page.locator('h1', { hasText: '委託先一覧' }).waitFor();
	assert.equal(await page.getAttribute('html', 'lang'), 'ja');
	await page.click('#lang-toggle');
	await page.locator('h1', { hasText: 'Vendors' }).waitFor();
	assert.equal(await page.getAttribute('html', 'lang'), 'en');
	await page.reload();
	await page.locator('h1', { hasText: 'Vendors' }).waitFor();
	await page.click('#lang-toggle');
	await page.locator('h1', { hasText: '委託先一覧' }).waitFor();
});

test('every page in both languages: no serious accessibility violation, a screenshot', async () => {
	// A case sent to its vendor, so that every page has something to show.
	const api = await apiAs('requester1');
	const v = await api.call('POST', '/vendors', { name: uniq('全画面試験'), personal_data: 'le_1000' });
	let c = await api.call('POST', '/assessments', { kind: 'onboarding', vendor_id: v.id });
	c = await api.call('POST', `/assessments/${c.id}/transitions`, { action: 'send_to_vendor', version: c.version });
	const parent = await approvedVendor(uniq('全画面委託元'));
	const sc = await api.call('POST', '/subcontracts', { parent_vendor_id: parent.id, vendor_id: v.id, scope: '入力業務',
		data_classes: ['personal_data'], period_end: '2027-03-31', flow_down: { nda_signed: true } });
	const inc = await api.call('POST', '/incidents', { vendor_id: v.id, aware_on: '2026-11-20', data_classes: ['personal_data'],
		people_affected: 20, cause: 'misdirected_mail' });
	await api.dispose();
	const pages = [['vendors', '#/vendors'], ['vendors-filtered', '#/vendors?tier=medium&audit_due=true'],
		['vendor-new', '#/vendors/new'], ['vendor', `#/vendors/${v.id}`], ['vendor-edit', `#/vendors/${v.id}/edit`],
		['queue', '#/my-queue'], ['case', `#/assessments/${c.id}`], ['sheet', `#/assessments/${c.id}/sheet`],
		['dashboard', '#/dashboard'], ['templates', '#/templates'],
		['subcontract-new', `#/subcontracts/new?parent_vendor_id=${parent.id}`], ['subcontract', `#/subcontracts/${sc.id}`],
		['incident-new', `#/incidents/new?vendor_id=${v.id}`], ['incident', `#/incidents/${inc.id}`]];
	for (const lang of ['ja', 'en']) {
		const page = await pageAs('admin1', lang);
		for (const [name, hash] of pages) {
			await page.goto(`${PAGES}${hash}`);
			await page.locator('main h1').waitFor();
			await page.waitForLoadState('networkidle');
			await checkA11y(page, `${name} (${lang})`);
			await shot(page, `${lang}-page-${name}`);
		}
		const vendor = await pageAs(null, lang);
		await vendor.goto(new URL(c.vendor_page, PAGES).href);
		await vendor.locator('.question').first().waitFor();
		await checkA11y(vendor, `vendor page (${lang})`);
		await shot(vendor, `${lang}-page-vendor-answer`);
		for (const p of [page, vendor])
			assert.equal(p.consoleErrors.length, 0, p.consoleErrors.join('; '));
	}
});

test('a filled-in sheet file is imported on the sheet page, and a bad cell is named', async () => {
	const { writeFileSync, mkdtempSync } = await import('node:fs');
	const api = await apiAs('requester1');
	const v = await api.call('POST', '/vendors', { name: uniq('ファイル回答'), confidential_data: true });
	const c = await api.call('POST', '/assessments', { kind: 'onboarding', vendor_id: v.id });
	const yesNo = c.questions.filter(q => q.type === 'yes_no').slice(0, 2);
	const dir = mkdtempSync('/tmp/vr-sheet-');
	const good = `${dir}/returned.csv`, bad = `${dir}/bad.csv`;
	// A vendor's CSV: only the code and answer columns are needed.
	writeFileSync(good, `番号 / Code,回答 / Answer\r\n${yesNo[0].code},yes\r\n${yesNo[1].code},no\r\n`);
	writeFileSync(bad, `番号 / Code,回答 / Answer\r\n${yesNo[0].code},たぶん\r\n`);
	const page = await pageAs('requester1', 'ja');
	await page.goto(`${PAGES}#/assessments/${c.id}/sheet`);
	await page.locator('.question').first().waitFor();
	await page.setInputFiles('#sheet-upload', bad);
	await page.locator('.save-status.error', { hasText: 'B2' }).waitFor();
	await page.setInputFiles('#sheet-upload', good);
	// The sheet is drawn again from the case the import answered.
	await page.waitForFunction(() => !document.querySelector('.save-status.error'));
	await page.locator('.question').first().waitFor();
	const got = await api.call('GET', `/assessments/${c.id}`);
	const by = new Map(got.answers.map(a => [a.question, a.value]));
	assert.equal(by.get(yesNo[0].code), 'yes', 'the first answer imported');
	assert.equal(by.get(yesNo[1].code), 'no', 'the second answer imported');
	await checkA11y(page, 'sheet after an import (ja)');
	await api.dispose();
});

test('an admin imports a check-sheet template from a file, and a bad file is refused', async () => {
	const { readFileSync, writeFileSync, mkdtempSync } = await import('node:fs');
	const dir = mkdtempSync('/tmp/vr-tpl-');
	const version = Math.floor(Date.now() / 1000) % 1000000 + 2;
	const good = `${dir}/sheet.xml`, bad = `${dir}/bad.xml`;
	writeFileSync(good, readFileSync(new URL('../../plugin-manifests/templates/subcontract.xml', import.meta.url), 'utf8')
		.replace('<version>1</version>', `<version>${version}</version>`));
	writeFileSync(bad, '<template xmlns="urn:vendor-review:api:1"><code>x</code></template>');
	const page = await pageAs('admin1', 'ja');
	await page.goto(`${PAGES}#/templates`);
	await page.locator('table.list a', { hasText: 'onboarding' }).first().waitFor();
	await page.setInputFiles('input[type=file]', bad);
	await page.click('form.record-form button[type=submit]');
	await page.locator('.action-message.error', { hasText: '取り込めませんでした' }).waitFor();
	await page.setInputFiles('input[type=file]', good);
	await page.click('form.record-form button[type=submit]');
	await page.locator('.action-message', { hasText: `第${version}版を取り込みました` }).waitFor();
	const row = page.locator('table.list tr', { hasText: String(version) }).filter({ hasText: 'subcontract' });
	await row.waitFor();
	await row.locator('a').click();
	await page.locator('main h1', { hasText: `v${version}` }).waitFor();
	await checkA11y(page, 'template page (ja)');
	await shot(page, 'ja-page-template');
	const nav = await page.locator('header nav a').allTextContents();
	assert.ok(nav.includes('チェックシートテンプレート'), `the admin's menu has the templates: ${nav}`);
	const req = await pageAs('requester1', 'ja');
	await req.goto(`${PAGES}#/vendors`);
	await req.locator('header nav').waitFor();
	assert.ok(!(await req.locator('header nav a').allTextContents()).includes('チェックシートテンプレート'),
		'a requester has no templates in the menu');
});

// A vendor approved through onboarding over the API (the pages' flow is
// the first test's), holding personal data.
async function approvedVendor(name) {
	const api = await apiAs('requester1'), rev = await apiAs('reviewer1'), appr = await apiAs('approver1');
	const v = await api.call('POST', '/vendors', { name, personal_data: 'le_1000' });
	let c = await api.call('POST', '/assessments', { kind: 'onboarding', vendor_id: v.id });
	c = await api.call('PUT', `/assessments/${c.id}/answers`, { answers: bestAnswers(c.questions) });
	c = await api.call('POST', `/assessments/${c.id}/transitions`, { action: 'submit', version: c.version });
	c = await rev.call('POST', `/assessments/${c.id}/transitions`, { action: 'complete_review', version: c.version });
	await appr.call('POST', `/assessments/${c.id}/transitions`, { action: 'approve', version: c.version });
	for (const a of [api, rev, appr])
		await a.dispose();
	return v;
}

test('a subcontract requested, reviewed and approved through its pages', async () => {
	const parent = await approvedVendor(uniq('委託元試験'));
	const api = await apiAs('requester1');
	const subName = uniq('再委託先試験');
	const sub = await api.call('POST', '/vendors', { name: subName });
	let sheet = await api.call('POST', '/assessments', { kind: 'subcontract', vendor_id: sub.id });
	sheet = await api.call('PUT', `/assessments/${sheet.id}/answers`, { answers: bestAnswers(sheet.questions) });
	await api.call('POST', `/assessments/${sheet.id}/transitions`, { action: 'submit', version: sheet.version });
	await api.dispose();

	const req = await pageAs('requester1', 'ja');
	await req.goto(`${PAGES}#/vendors/${parent.id}`);
	await req.click('text=再委託を申請');
	await req.locator('#sc-scope').waitFor();
	await checkA11y(req, 'subcontract form (ja)');
	await req.fill('input[type=search]', subName);
	await req.locator('#sc-vendor_id option', { hasText: subName }).waitFor({ state: 'attached' });
	await req.fill('#sc-scope', '顧客データの入力業務');
	await req.check('#sc-data_classes-personal_data');
	await req.fill('#sc-period_end', '2027-03-31');
	for (const k of ['equal_obligations', 'nda_signed', 'audit_rights', 'parent_responsible'])
		await req.check(`#sc-flow_down-${k}`);
	await req.click('form.record-form button[type=submit]');
	await req.waitForURL(/#\/subcontracts\/\d+$/);
	const scId = Number(req.url().match(/subcontracts\/(\d+)/)[1]);
	await req.locator('#sc-sheet').waitFor();
	await req.click('text=添付する');
	await req.locator('a', { hasText: `#${sheet.id}` }).waitFor();
	await req.click('button[data-action=submit]');
	await req.locator('.notice.done').waitFor();
	await checkA11y(req, 'subcontract page (ja)');
	await shot(req, 'ja-page-subcontract');

	const rev = await pageAs('reviewer1', 'ja');
	await rev.goto(`${PAGES}#/my-queue`);
	await rev.locator(`[data-case="subcontracts/${scId}"] h3 a`).click();
	await rev.click('button[data-action=complete_review]');
	await rev.locator('.notice.done').waitFor();
	const appr = await pageAs('approver1', 'ja');
	await appr.goto(`${PAGES}#/subcontracts/${scId}`);
	await appr.click('button[data-action=approve]');
	await appr.locator('.badge.state', { hasText: '承認' }).waitFor();
	await appr.goto(`${PAGES}#/vendors/${parent.id}`);
	await appr.locator('ul.tree a', { hasText: subName }).waitFor();
	await shot(appr, 'ja-vendor-with-chain');
});

test('an incident recorded, its deadlines shown, reported and closed through its page', async () => {
	const api = await apiAs('requester1');
	const v = await api.call('POST', '/vendors', { name: uniq('事案試験') });
	await api.dispose();
	const page = await pageAs('reviewer1', 'en');
	await page.goto(`${PAGES}#/vendors/${v.id}`);
	await page.click('text=Record an incident');
	await page.locator('#inc-aware_on').waitFor();
	await checkA11y(page, 'incident form (en)');
	await page.fill('#inc-aware_on', '2026-11-20');
	await page.fill('#inc-people_affected', '1500');
	await page.check('#inc-data_classes-personal_data');
	await page.selectOption('#inc-cause', 'lost_media');
	await page.click('form.record-form button[type=submit]');
	await page.waitForURL(/#\/incidents\/\d+$/);
	// Day 30 from 20 Nov is Sat 19 Dec: the final report is due Mon 21 Dec.
	const dl = await page.textContent('#sec-deadlines + dl');
	assert.match(dl, /2026-12-21/, `final report due on the Monday: ${dl}`);
	assert.match(await page.textContent('main'), /over 1,000 people/, 'the case of Rule Art. 7 that applies');
	await checkA11y(page, 'incident page (en)');
	await shot(page, 'en-page-incident');
	await page.click('button[data-action=report_preliminary]');
	await page.locator('.notice.done').waitFor();
	for (const box of await page.locator('input[id^=inc-item-]').all())
		await box.check();
	await page.click('#sec-items ~ button, section[aria-labelledby=sec-items] button');
	await page.locator('text=Every report item is known.').waitFor();
	await page.click('button[data-action=report_final]');
	await page.locator('.notice.done').waitFor();
	await page.fill('.actions textarea', 'Prevention measures checked at the vendor');
	await page.click('button[data-action=close]');
	await page.locator('.badge.state', { hasText: 'Closed' }).waitFor();
});
