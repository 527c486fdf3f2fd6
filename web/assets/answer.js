// The vendor's page: the check sheet of one case, reached through the
// single-use link (the token is the URL's fragment) with no intranet
// login; it talks only to the vendor's part of the API.

import { h, clear } from './dom.js';
import { t, loadMessages, fmtDate } from './i18n.js';
import { call, upload, VENDOR_API } from './api.js';
import { frame } from './layout.js';
import { renderSheet } from './sheet.js';

async function start() {
	const token = location.hash.replace(/^#\/?/, '');
	await loadMessages();
	document.title = t('vpage.title');
	const main = frame({ title: t('vpage.title'), onLang: start });
	if (!/^[0-9a-f]{32}$/.test(token)) {
		clear(main, h('h1', {}, t('vpage.title')), h('p', { class: 'error', role: 'alert' }, t('vpage.bad_link')));
		return;
	}
	const path = `/${token}`;
	let s;
	try {
		s = await call('GET', path, undefined, VENDOR_API);
	} catch (e) {
		clear(main, h('h1', {}, t('vpage.title')),
			h('p', { class: 'error', role: 'alert' }, e.status === 404 || e.status === 410 ? t('vpage.bad_link') : e.message));
		return;
	}
	const body = h('div', {});
	const carry = (s.previous_answers || []).length && s.state === 'with_vendor' ? h('button', {
		type: 'button', class: 'secondary', onclick: async () => {
			await call('POST', `${path}/carry-forward`, undefined, VENDOR_API);
			window.addEventListener('hashchange', start);
start();
		},
	}, t('vpage.carry_forward')) : null;
	clear(main,
		h('h1', {}, t('vpage.heading', { vendor: s.vendor_name })),
		h('p', {}, t('vpage.intro', { id: s.assessment_id, until: fmtDate(s.expires_at) })),
		s.follow_up?.length ? h('section', { 'aria-labelledby': 'fu-h' },
			h('h2', { id: 'fu-h' }, t('vpage.follow_up')),
			h('ul', {}, s.follow_up.map(f => h('li', {}, `[${t(`severity.${f.severity}`)}] ${f.description}`,
				f.due_date ? ` (${t('finding.due')}: ${f.due_date})` : '')))) : null,
		carry, body);
	renderSheet(body, {
		questions: s.questions, sections: s.sections, answers: s.answers, previous: s.previous_answers,
		answered: s.answered, required: s.required, editable: s.state === 'with_vendor',
		io: {
			save: answers => call('PUT', `${path}/answers`, { answers }, VENDOR_API),
			submit: async () => {
				await call('POST', `${path}/submit`, undefined, VENDOR_API);
				clear(main, h('h1', {}, t('vpage.title')), h('p', { role: 'status' }, t('vpage.thanks')));
				main.focus();
			},
			downloads: [[t('sheet.download_xlsx'), `${VENDOR_API}${path}/sheet.xlsx`],
				[t('sheet.download_csv'), `${VENDOR_API}${path}/sheet.csv`]],
			upload: async file => {
				await upload(`${path}/answers/import`, file, VENDOR_API);
				await start();
			},
		},
	});
}

window.addEventListener('hashchange', start);
start();
