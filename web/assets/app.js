// The intranet pages: a hash router over the public API.  Each page
// draws into <main>; labels come from the catalogue or the manifest.

import { h, clear, nextId } from './dom.js';
import { t, pick, loadMessages, fmtDate } from './i18n.js';
import { call, get, upload, API } from './api.js';
import { frame } from './layout.js';
import { renderSheet } from './sheet.js';
import { actionBar } from './actions.js';
import { barChart } from './charts.js';

let manifest = null, me = null;

const TIERS = ['high', 'medium', 'low'];
const STATUSES = ['candidate', 'approved', 'suspended', 'terminated'];
const SEVERITIES = ['high', 'medium', 'low'];

// The manifest's workflow a record runs in: by its resource, and for
// assessments by their kind.
function workflowOf(resource, kind) {
	return (manifest?.workflows || []).find(w => w.resource === resource && (!kind || w.kind === kind));
}

function stateLabel(resource, kind, state) {
	const s = workflowOf(resource, kind)?.states.find(x => x.id === state);
	return s ? pick(s.label) : state;
}

function workflowLabel(resource, kind) {
	const w = workflowOf(resource, kind);
	return w ? pick(w.label) : kind || resource;
}

function badge(kind, value) {
	return h('span', { class: `badge ${kind}-${value}` }, t(`${kind}.${value}`));
}

function errorBox(e) {
	return h('p', { class: 'error', role: 'alert' }, e.message || String(e));
}

function heading(text) {
	document.title = `${text} - vendor-review`;
	return h('h1', {}, text);
}

// ---- vendors ------------------------------------------------------------

async function vendorsPage(main, params) {
	const q = params.get('q') || '', tier = params.get('tier') || '', status = params.get('status') || '';
	const due = params.get('audit_due') === 'true';
	const cursor = params.get('cursor') || '';
	const sort = params.get('sort') === 'kana' ? 'kana' : 'name';
	const form = h('form', {
		class: 'filters', role: 'search', onsubmit: ev => {
			ev.preventDefault();
			const f = new FormData(form), p = new URLSearchParams();
			for (const k of ['q', 'tier', 'status'])
				if (f.get(k))
					p.set(k, f.get(k));
			if (f.get('audit_due'))
				p.set('audit_due', 'true');
			if (f.get('sort') === 'kana')
				p.set('sort', 'kana');
			location.hash = `#/vendors?${p}`;
		},
	},
	h('label', { for: 'f-q' }, t('vendors.search')), h('input', { id: 'f-q', name: 'q', type: 'search', value: q }),
	h('label', { for: 'f-tier' }, t('vendor.tier')), h('select', { id: 'f-tier', name: 'tier' },
		h('option', { value: '' }, t('filter.any')), TIERS.map(x => h('option', { value: x, selected: x === tier }, t(`tier.${x}`)))),
	h('label', { for: 'f-status' }, t('vendor.status')), h('select', { id: 'f-status', name: 'status' },
		h('option', { value: '' }, t('filter.any')), STATUSES.map(x => h('option', { value: x, selected: x === status }, t(`status.${x}`)))),
	h('span', { class: 'check' }, h('input', { id: 'f-due', name: 'audit_due', type: 'checkbox', checked: due }),
		h('label', { for: 'f-due' }, t('vendors.audit_due'))),
	h('label', { for: 'f-sort' }, t('vendors.sort')), h('select', { id: 'f-sort', name: 'sort' },
		['name', 'kana'].map(x => h('option', { value: x, selected: x === sort }, t(`vendors.sort_${x}`)))),
	h('button', { type: 'submit', class: 'primary' }, t('vendors.apply')));
	const p = new URLSearchParams({ limit: '25', sort });
	for (const [k, v] of [['q', q], ['tier', tier], ['status', status], ['cursor', cursor]])
		if (v)
			p.set(k, v);
	if (due)
		p.set('audit_due', 'true');
	const list = h('div', {});
	// The register as a file: the same filters, every page.
	const file = format => {
		const f = new URLSearchParams(p);
		f.delete('limit');
		f.delete('cursor');
		f.set('format', format);
		return `${API}/vendors?${f}`;
	};
	clear(main, heading(t('vendors.title')),
		h('p', {}, h('a', { href: '#/vendors/new', class: 'button primary' }, t('vendors.new')), ' ',
			h('a', { href: file('xlsx'), class: 'button secondary', download: '' }, t('vendors.register_xlsx')), ' ',
			h('a', { href: file('csv'), class: 'button secondary', download: '' }, t('vendors.register_csv'))),
		form, list);
	try {
		const r = await get(`/vendors?${p}`);
		const next = new URLSearchParams(params);
		next.set('cursor', r.next_cursor || '');
		clear(list,
			r.items.length ? h('table', { class: 'list' },
				h('caption', { class: 'visually-hidden' }, t('vendors.title')),
				h('thead', {}, h('tr', {}, [t('vendor.name'), t('vendor.name_kana'), t('vendor.tier'), t('vendor.status'), t('vendor.next_audit_due')].map(x => h('th', { scope: 'col' }, x)))),
				h('tbody', {}, r.items.map(v => h('tr', {},
					h('td', {}, h('a', { href: `#/vendors/${v.id}` }, v.name)),
					h('td', {}, v.name_kana || ''), h('td', {}, badge('tier', v.tier)),
					h('td', {}, badge('status', v.status)), h('td', {}, v.next_audit_due || ''))))) :
				h('p', {}, t('vendors.none')),
			h('nav', { class: 'pager', 'aria-label': t('pager.label') },
				cursor ? h('button', { type: 'button', class: 'secondary', onclick: () => history.back() }, t('pager.previous')) : null,
				r.next_cursor ? h('a', { href: `#/vendors?${next}`, class: 'button secondary' }, t('pager.next')) : null));
	} catch (e) {
		clear(list, errorBox(e));
	}
}

const VENDOR_FIELDS = [
	['name', 'text', true], ['name_kana', 'text'], ['corporate_number', 'text'], ['address', 'text'],
	['contact_name', 'text'], ['contact_email', 'email'], ['contract_type', ['', 'ukeoi', 'jun_inin']],
	['owner_department', 'text'], ['personal_data', ['none', 'le_1000', 'le_100000', 'gt_100000']],
	['special_care_data', 'bool'], ['payment_data', 'bool'], ['confidential_data', 'bool'],
	['system_access', 'bool'], ['offsite_work', 'bool'],
	['contract_start', 'date'], ['contract_end', 'date'], ['renewal_date', 'date'],
];

/* "Pマーク 10822345(05), until 2027-01-15" for each certification. */
const certLine = c => `${c.kind === 'other' ? c.name : t(`cert.${c.kind}`)}${c.number ? ` ${c.number}` : ''}, ${t('cert.until')} ${c.expires_on}`;

async function vendorForm(main, params, id) {
	const v = id ? await get(`/vendors/${id}`) : {};
	const errors = {};
	const inputs = {};
	const summary = h('div', { role: 'alert', class: 'form-summary' });
	const rows = VENDOR_FIELDS.map(([name, type, required]) => {
		const fid = `v-${name}`, eid = `${fid}-error`;
		errors[name] = h('p', { id: eid, class: 'field-error' });
		let input;
		if (type === 'bool') {
			input = h('input', { id: fid, name, type: 'checkbox', checked: !!v[name], 'aria-describedby': eid });
			inputs[name] = () => input.checked;
			return h('div', { class: 'field check' }, input, h('label', { for: fid }, t(`vendor.${name}`)), errors[name]);
		}
		if (Array.isArray(type)) {
			input = h('select', { id: fid, name, 'aria-describedby': eid },
				type.map(o => h('option', { value: o, selected: (v[name] ?? '') === o }, o ? t(`${name}.${o}`) : t('filter.none'))));
			inputs[name] = () => input.value || null;
		} else {
			input = h('input', { id: fid, name, type, value: v[name] ?? '', required, 'aria-describedby': eid, autocomplete: 'off' });
			inputs[name] = () => input.value.trim() === '' ? null : input.value.trim();
		}
		return h('div', { class: 'field' }, h('label', { for: fid }, t(`vendor.${name}`), required ? ' *' : ''), input, errors[name]);
	});
	const form = h('form', {
		class: 'record-form', novalidate: true, onsubmit: async ev => {
			ev.preventDefault();
			for (const e of Object.values(errors))
				e.textContent = '';
			form.querySelectorAll('[aria-invalid]').forEach(x => x.removeAttribute('aria-invalid'));
			summary.textContent = '';
			const body = {};
			for (const [name] of VENDOR_FIELDS) {
				const val = inputs[name]();
				if (id ? val !== (v[name] ?? (typeof val === 'boolean' ? false : null)) : val !== null)
					body[name] = val;
			}
			try {
				let r;
				if (id)
					r = await call('PATCH', `/vendors/${id}`, { ...body, version: v.version });
				else
					r = await call('POST', '/vendors', body);
				location.hash = `#/vendors/${r.id}`;
			} catch (e) {
				const f = e.field && e.field.split(/[.[]/)[0];
				if (f && errors[f]) {
					errors[f].textContent = e.message;
					const el = document.getElementById(`v-${f}`);
					el.setAttribute('aria-invalid', 'true');
					el.focus();
				} else {
					summary.textContent = e.status === 409 ? t('actions.stale') : e.message;
				}
			}
		},
	}, summary, rows, h('div', { class: 'buttons' },
		h('button', { type: 'submit', class: 'primary' }, t('form.save')),
		h('a', { href: id ? `#/vendors/${id}` : '#/vendors', class: 'button secondary' }, t('form.cancel'))));
	clear(main, heading(id ? t('vendor.edit_title', { name: v.name }) : t('vendor.new_title')), form);
}

function chainTree(nodes) {
	if (!nodes.length)
		return null;
	return h('ul', { class: 'tree' }, nodes.map(n => h('li', {},
		h('a', { href: `#/vendors/${n.vendor.id}` }, n.vendor.name), ' ',
		h('span', { class: 'muted' }, `${stateLabel('subcontract', null, n.state)} · ${(n.data_classes || []).map(d => t(`data.${d}`)).join(', ')}`),
		chainTree(n.subcontracts || []))));
}

async function vendorDetail(main, params, id) {
	const v = await get(`/vendors/${id}`);
	const flags = ['special_care_data', 'payment_data', 'confidential_data', 'system_access', 'offsite_work'].filter(k => v[k]);
	const dl = (pairs) => h('dl', { class: 'props' }, pairs.map(([k, val]) => [h('dt', {}, k), h('dd', {}, val ?? '—')]));
	const cases = h('div', {}), findings = h('div', {}), chain = h('div', {}), history = h('div', {});
	const requests = h('div', {}), incidents = h('div', {});
	const may = (resource, kind) => workflowOf(resource, kind)?.start_roles?.some(r => me?.roles?.includes(r));
	const canStart = may('assessment', 'onboarding');
	clear(main, heading(v.name),
		h('p', {}, badge('tier', v.tier), ' ', badge('status', v.status), v.needs_review ? [' ', h('span', { class: 'badge warn' }, t('vendor.needs_review'))] : null),
		h('p', { class: 'buttons' },
			h('a', { href: `#/vendors/${id}/edit`, class: 'button secondary' }, t('vendor.edit')),
			canStart ? h('button', {
				type: 'button', class: 'primary', onclick: async ev => {
					try {
						const c = await call('POST', '/assessments', { kind: 'onboarding', vendor_id: Number(id) });
						location.hash = `#/assessments/${c.id}`;
					} catch (e) {
						ev.target.after(errorBox(e));
					}
				},
			}, t('vendor.start_onboarding')) : null,
			may('subcontract') && v.status === 'approved' ? h('a', { href: `#/subcontracts/new?parent_vendor_id=${id}`, class: 'button secondary' }, t('vendor.request_subcontract')) : null,
			may('incident') ? h('a', { href: `#/incidents/new?vendor_id=${id}`, class: 'button secondary' }, t('vendor.record_incident')) : null,
			// The supervision record's roles (fcgi/resources/supervision.c): one click, one ZIP.
			me?.roles?.some(r => ['reviewer', 'approver', 'auditor', 'admin'].includes(r)) ?
				h('a', { href: `${API}/vendors/${id}/record`, class: 'button secondary', download: '' }, t('vendor.download_record')) : null),
		h('section', { 'aria-labelledby': 'sec-profile' }, h('h2', { id: 'sec-profile' }, t('vendor.profile')),
			dl(VENDOR_FIELDS.filter(([n]) => !['name'].includes(n) && VENDOR_FIELDS.find(f => f[0] === n)[1] !== 'bool').map(([n, type]) =>
				[t(`vendor.${n}`), Array.isArray(type) && v[n] ? t(`${n}.${v[n]}`) : v[n]])),
			h('h3', {}, t('vendor.certifications')),
			v.certifications?.length ? h('ul', {}, v.certifications.map(c => h('li', {}, certLine(c)))) : h('p', {}, '—'),
			h('h3', {}, t('vendor.tier_why')),
			h('p', {}, t(`tier.rule_${v.tier}`)),
			h('p', {}, t('vendor.tier_inputs'), ': ', t(`personal_data.${v.personal_data}`),
				flags.map(k => `, ${t(`vendor.${k}`)}`))),
		h('section', { 'aria-labelledby': 'sec-cases' }, h('h2', { id: 'sec-cases' }, t('vendor.assessments')), cases),
		h('section', { 'aria-labelledby': 'sec-findings' }, h('h2', { id: 'sec-findings' }, t('vendor.findings')), findings),
		h('section', { 'aria-labelledby': 'sec-chain' }, h('h2', { id: 'sec-chain' }, t('vendor.chain')), chain,
			h('h3', {}, t('vendor.subcontract_requests')), requests),
		h('section', { 'aria-labelledby': 'sec-incidents' }, h('h2', { id: 'sec-incidents' }, t('vendor.incidents')), incidents),
		h('section', { 'aria-labelledby': 'sec-history' }, h('h2', { id: 'sec-history' }, t('vendor.history')), history));
	get(`/assessments?vendor_id=${id}&limit=50`).then(r => clear(cases, r.items.length ? h('ul', {}, r.items.map(c => h('li', {},
		h('a', { href: `#/assessments/${c.id}` }, `${workflowLabel('assessment', c.kind)} #${c.id}`), ` ${stateLabel('assessment', c.kind, c.state)}`,
		c.score !== null ? ` · ${t('case.score')} ${c.score}` : '', ` · ${fmtDate(c.created_at)}`))) : h('p', {}, t('list.empty'))),
	e => clear(cases, errorBox(e)));
	get(`/findings?vendor_id=${id}&limit=100`).then(r => clear(findings, findingsTable(r.items, null)), e => clear(findings, errorBox(e)));
	get(`/vendors/${id}/chain`).then(r => clear(chain,
		r.path_up.length ? h('p', {}, t('vendor.path_up'), ': ', r.path_up.map((p, i) => [i ? ' › ' : '', h('a', { href: `#/vendors/${p.id}` }, p.name)])) : null,
		chainTree(r.subcontracts) || h('p', {}, t('vendor.no_subcontracts'))), e => clear(chain, errorBox(e)));
	get(`/subcontracts?parent_vendor_id=${id}&limit=50`).then(r => clear(requests, r.items.length ? h('ul', {}, r.items.map(s => h('li', {},
		h('a', { href: `#/subcontracts/${s.id}` }, `${workflowLabel('subcontract')} #${s.id}`), ` ${stateLabel('subcontract', null, s.state)} · ${s.scope}`))) :
		h('p', {}, t('list.empty'))), e => clear(requests, errorBox(e)));
	get(`/incidents?vendor_id=${id}&limit=50`).then(r => clear(incidents, r.items.length ? h('ul', {}, r.items.map(x => h('li', {},
		h('a', { href: `#/incidents/${x.id}` }, `${workflowLabel('incident')} #${x.id}`), ` ${stateLabel('incident', null, x.state)} · ${x.aware_on}`,
		x.final_due ? ` · ${t('inc.final_due')} ${x.final_due}` : ''))) : h('p', {}, t('list.empty'))), e => clear(incidents, errorBox(e)));
	get(`/audit-log?entity=vendor:${id}&limit=50`).then(r => clear(history, h('ol', { class: 'history' }, r.items.map(a =>
		h('li', {}, `${fmtDate(a.at)} ${a.actor}: ${t(`history.${a.action}`, null, a.action)}`))))).catch(e => clear(history, errorBox(e)));
}

// ---- findings -------------------------------------------------------------

function findingsTable(items, caseRec, reload) {
	if (!items.length)
		return h('p', {}, t('list.empty'));
	const approver = me?.roles?.includes('approver');
	return h('table', { class: 'list findings' },
		h('thead', {}, h('tr', {}, [t('finding.severity'), t('finding.description'), t('finding.due'), t('finding.status'), ''].map(x => h('th', { scope: 'col' }, x)))),
		h('tbody', {}, items.map(f => h('tr', { 'data-finding': f.id },
			h('td', {}, badge('severity', f.severity)),
			h('td', {}, f.description, f.source === 'mandatory_control' ? h('span', { class: 'badge warn' }, ' ', t('finding.mandatory')) : null),
			h('td', {}, f.due_date || ''),
			h('td', {}, t(`finding_status.${f.status}`),
				f.status === 'risk_accepted' ? h('span', { class: 'muted' }, ` (${f.risk_accepted_by}: ${f.risk_reason}, ${t('finding.until')} ${f.risk_accepted_until})`) : null),
			h('td', {}, caseRec && approver && ['open', 'in_progress'].includes(f.status) ? riskForm(f, reload) : null)))));
}

function riskForm(f, reload) {
	const rid = nextId('reason'), uid = nextId('until');
	const msg = h('p', { class: 'field-error', role: 'alert' });
	const form = h('form', {
		class: 'inline-form', onsubmit: async ev => {
			ev.preventDefault();
			const fd = new FormData(form);
			try {
				await call('PATCH', `/findings/${f.id}`, {
					version: f.version, status: 'risk_accepted',
					risk_reason: fd.get('reason'), risk_accepted_until: fd.get('until'),
				});
				reload();
			} catch (e) {
				msg.textContent = e.status === 409 ? t('actions.stale') : e.message;
			}
		},
	},
	h('label', { for: rid }, t('finding.risk_reason')), h('input', { id: rid, name: 'reason', required: true }),
	h('label', { for: uid }, t('finding.until')), h('input', { id: uid, name: 'until', type: 'date', required: true }),
	h('button', { type: 'submit', class: 'secondary' }, t('finding.accept_risk')), msg);
	return form;
}

function newFindingForm(caseRec, reload) {
	const ids = { sev: nextId('sev'), desc: nextId('desc'), rem: nextId('rem'), due: nextId('due') };
	const msg = h('p', { class: 'field-error', role: 'alert' });
	const form = h('form', {
		class: 'record-form compact', onsubmit: async ev => {
			ev.preventDefault();
			const fd = new FormData(form);
			const body = { assessment_id: caseRec.id, severity: fd.get('severity'), description: fd.get('description') };
			if (fd.get('remediation'))
				body.remediation = fd.get('remediation');
			if (fd.get('due_date'))
				body.due_date = fd.get('due_date');
			try {
				await call('POST', '/findings', body);
				reload();
			} catch (e) {
				msg.textContent = e.message;
			}
		},
	},
	h('h3', {}, t('finding.new')),
	h('div', { class: 'field' }, h('label', { for: ids.sev }, t('finding.severity')),
		h('select', { id: ids.sev, name: 'severity' }, SEVERITIES.map(s => h('option', { value: s }, t(`severity.${s}`))))),
	h('div', { class: 'field' }, h('label', { for: ids.desc }, t('finding.description')), h('textarea', { id: ids.desc, name: 'description', required: true, rows: 2 })),
	h('div', { class: 'field' }, h('label', { for: ids.rem }, t('finding.remediation')), h('textarea', { id: ids.rem, name: 'remediation', rows: 2 })),
	h('div', { class: 'field' }, h('label', { for: ids.due }, t('finding.due')), h('input', { id: ids.due, name: 'due_date', type: 'date' })),
	h('button', { type: 'submit', class: 'secondary' }, t('finding.add')), msg);
	return form;
}

// ---- a case: review and the sheet ------------------------------------------

// handed: what the last transition answered (a new vendor link), done:
// its label, said at the top of the page drawn again.
async function casePage(main, params, id, handed, done) {
	const c = await get(`/assessments/${id}?include=questions`);
	const vendor = await get(`/vendors/${c.vendor_id}`);
	const reload = (r, label) => draw(main, casePage, params, id, r, label);
	const failed = c.findings.filter(f => f.source === 'mandatory_control');
	const page = handed?.vendor_page ? new URL(handed.vendor_page, location.href).href : null;
	const canRaise = me?.roles?.some(r => ['reviewer', 'auditor'].includes(r)) && ['submitted', 'reviewed'].includes(c.state);
	clear(main, heading(`${workflowLabel('assessment', c.kind)} #${c.id}`),
		done ? h('p', { class: 'notice done', role: 'status' }, t('actions.done', { action: done })) : null,
		h('p', {}, h('a', { href: `#/vendors/${vendor.id}` }, vendor.name), ' · ', badge('tier', c.tier), ' ',
			h('span', { class: 'badge state' }, stateLabel('assessment', c.kind, c.state))),
		page ? h('div', { class: 'notice', role: 'status' }, h('p', {}, t('case.vendor_page')),
			h('input', { type: 'text', readonly: true, value: page, 'aria-label': t('case.vendor_page'), class: 'copy' })) : null,
		h('p', {}, h('a', { href: `#/assessments/${id}/sheet`, class: 'button secondary' }, t('case.open_sheet')),
			' ', t('sheet.progress', { answered: c.answered, required: c.required })),
		h('section', { 'aria-labelledby': 'sec-actions' }, h('h2', { id: 'sec-actions' }, t('case.actions')),
			await actionBar(`/assessments/${id}`, c, reload)),
		h('section', { 'aria-labelledby': 'sec-score' }, h('h2', { id: 'sec-score' }, t('case.score')),
			c.score === null ? h('p', {}, t('case.not_scored')) : [
				h('p', { class: 'score' }, t('case.total', { score: c.score })),
				h('table', { class: 'list' }, h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('case.section')), h('th', { scope: 'col' }, t('case.score')))),
					h('tbody', {}, (c.section_scores || []).map(s => h('tr', {},
						h('td', {}, `${s.section}. ${pick(c.sections.find(x => x.code === s.section)?.title)}`),
						h('td', {}, String(s.score))))))]),
		h('section', { 'aria-labelledby': 'sec-failed' }, h('h2', { id: 'sec-failed' }, t('case.failed_mandatory')),
			failed.length ? h('ul', {}, failed.map(f => h('li', {}, f.description))) : h('p', {}, t('case.none_failed'))),
		h('section', { 'aria-labelledby': 'sec-findings' }, h('h2', { id: 'sec-findings' }, t('vendor.findings')),
			findingsTable(c.findings, c, reload), canRaise ? newFindingForm(c, reload) : null),
		c.follow_up?.length ? h('section', { 'aria-labelledby': 'sec-fu' }, h('h2', { id: 'sec-fu' }, t('case.follow_up')),
			findingsTable(c.follow_up, null)) : null);
	main.focus();
}

async function sheetPage(main, params, id) {
	const c = await get(`/assessments/${id}?include=questions`);
	const body = h('div', {});
	clear(main, heading(`${t('sheet.title')} #${c.id}`),
		h('p', {}, h('a', { href: `#/assessments/${id}` }, t('sheet.back')), ' · ', stateLabel('assessment', c.kind, c.state)), body);
	let version = c.version;
	renderSheet(body, {
		questions: c.questions, sections: c.sections, answers: c.answers, previous: c.previous_answers,
		answered: c.answered, required: c.required, editable: ['draft', 'with_vendor'].includes(c.state),
		io: {
			save: async answers => {
				const r = await call('PUT', `/assessments/${id}/answers`, { answers });
				version = r.version;
				return r;
			},
			submit: async () => {
				await call('POST', `/assessments/${id}/transitions`, { action: 'submit', version });
				location.hash = `#/assessments/${id}`;
			},
			downloads: [[t('sheet.download_xlsx'), `${API}/assessments/${id}/sheet.xlsx`],
				[t('sheet.download_csv'), `${API}/assessments/${id}/sheet.csv`]],
			upload: async file => {
				await upload(`/assessments/${id}/answers/import`, file);
				await sheetPage(main, params, id);
			},
		},
	});
}

// ---- my queue -----------------------------------------------------------------

const QUEUE_PAGE = 20;

// Every case waiting for the signed-in user, newest first: assessments
// and audits, subcontracts, incidents, each paged on its own.
async function queuePage(main) {
	const box = h('div', {});
	clear(main, heading(t('queue.title')), box);
	const names = new Map();
	const vendorName = id => {
		if (!names.has(id))
			names.set(id, get(`/vendors/${id}`).then(v => v.name, () => `#${id}`));
		return names.get(id);
	};
	const item = async (plural, rec) => {
		const resource = plural.replace(/s$/, '');
		const title = `${workflowLabel(resource, rec.kind)} #${rec.id}`;
		return h('li', { class: 'queue-item', 'data-case': `${plural}/${rec.id}` },
			h('h3', {}, h('a', { href: `#/${plural}/${rec.id}` }, title)),
			h('p', {}, await vendorName(rec.vendor_id), ' · ', stateLabel(resource, rec.kind, rec.state), ' · ', fmtDate(rec.updated_at)),
			await actionBar(`/${plural}/${rec.id}`, rec, () => queuePage(main)));
	};
	let any = false;
	for (const plural of ['assessments', 'subcontracts', 'incidents']) {
		const list = h('ul', { class: 'queue' });
		const section = h('section', { 'aria-labelledby': `q-${plural}` },
			h('h2', { id: `q-${plural}` }, t(`queue.${plural}`)), list);
		const more = async cursor => {
			const p = new URLSearchParams({ waiting_for: 'me', sort: '-updated_at', limit: String(QUEUE_PAGE) });
			if (cursor)
				p.set('cursor', cursor);
			const r = await get(`/${plural}?${p}`);
			list.append(...await Promise.all(r.items.map(x => item(plural, x))));
			section.querySelector('.more')?.remove();
			if (r.next_cursor)
				section.append(h('button', { type: 'button', class: 'secondary more', onclick: () => more(r.next_cursor) }, t('queue.more')));
			return r.items.length;
		};
		try {
			if (await more(null) > 0 || list.children.length) {
				any = true;
				box.append(section);
			}
		} catch (e) {
			box.append(errorBox(e));
		}
	}
	if (!any)
		box.append(h('p', {}, t('queue.empty')));
}

// ---- dashboard ------------------------------------------------------------------

async function dashboardPage(main) {
	const box = h('div', { class: 'charts' });
	clear(main, heading(t('dashboard.title')), box);
	let s;
	try {
		s = await get('/stats');
	} catch (e) {
		return clear(box, errorBox(e));
	}
	const count = (rows, pred) => rows.filter(pred).reduce((n, r) => n + r.count, 0);
	// Every month from 12 before as_of to 12 after (the API leaves out empty ones).
	const [y, mo] = s.as_of.split('-').map(Number);
	const months = Array.from({ length: 25 }, (_, i) => {
		const d = new Date(Date.UTC(y, mo - 1 - 12 + i, 1));
		return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
	});
	const month = m => s.audits_by_month.find(x => x.month === m) || { due: 0, overdue: 0 };
	clear(box,
		h('p', {}, t('dashboard.as_of', { date: s.as_of })),
		barChart({
			id: 'chart-vendors', title: t('dashboard.vendors'),
			categories: TIERS.map(x => t(`tier.${x}`)),
			series: STATUSES.map(st => ({ name: t(`status.${st}`), cls: `s-${st}`, values: TIERS.map(ti => count(s.vendors_by_tier_status, r => r.tier === ti && r.status === st)) })),
		}),
		barChart({
			id: 'chart-audits', title: t('dashboard.audits'),
			categories: months,
			series: [{ name: t('dashboard.due'), cls: 's-due', values: months.map(m => month(m).due) },
				{ name: t('dashboard.overdue'), cls: 's-overdue', values: months.map(m => month(m).overdue) }],
		}),
		barChart({
			id: 'chart-findings', title: t('dashboard.findings'),
			categories: ['0-30', '31-90', '91-180', '181+'].map(a => t('dashboard.age', { age: a })),
			series: SEVERITIES.map(sev => ({ name: t(`severity.${sev}`), cls: `s-${sev}`, values: ['0-30', '31-90', '91-180', '181+'].map(a => count(s.findings_by_severity_age, r => r.severity === sev && r.age === a)) })),
		}));
}

// ---- subcontracts and incidents ------------------------------------------------------

const DATA_CLASSES = ['personal_data', 'special_care_data', 'payment_data', 'confidential_data'];
const FLOW_DOWN = ['equal_obligations', 'nda_signed', 'audit_rights', 'parent_responsible'];
const CAUSES = ['malware', 'unauthorised_access', 'insider_take_out', 'lost_media', 'misdirected_mail', 'misconfiguration', 'theft', 'other'];
const REPORT_ITEMS = ['overview', 'personal_data_items', 'people_count', 'cause', 'secondary_harm', 'actions_for_people', 'publication', 'prevention', 'other'];

const vendorLink = async id => {
	if (id === null || id === undefined)
		return '—';
	try {
		const v = await get(`/vendors/${id}`);
		return h('a', { href: `#/vendors/${id}` }, v.name);
	} catch (e) {
		return `#${id}`;
	}
};

// A form of fields [name, kind, options]: kinds text, date, number,
// select (options), checks (options: a list value), bool; problem
// documents land under the field they name.  submit(body) -> record.
function recordForm(prefix, fields, submit, cancelHref) {
	const errors = {}, read = {};
	const summary = h('div', { role: 'alert', class: 'form-summary' });
	const rows = fields.map(([name, kind, options, required]) => {
		const fid = `${prefix}-${name}`, eid = `${fid}-error`;
		const label = t(`${prefix}.${name}`);
		errors[name] = h('p', { id: eid, class: 'field-error' });
		if (kind === 'checks') {
			const boxes = options.map(o => h('input', { type: 'checkbox', id: `${fid}-${o}`, value: o }));
			read[name] = () => boxes.filter(b => b.checked).map(b => b.value);
			return h('fieldset', { class: 'field', id: fid, 'aria-describedby': eid }, h('legend', {}, label),
				boxes.map((b, i) => h('span', { class: 'check' }, b, h('label', { for: b.id }, t(`${prefix}.${name}.${options[i]}`, null, t(`data.${options[i]}`))))), errors[name]);
		}
		if (kind === 'bool') {
			const input = h('input', { id: fid, type: 'checkbox', 'aria-describedby': eid });
			read[name] = () => input.checked;
			return h('div', { class: 'field check' }, input, h('label', { for: fid }, label), errors[name]);
		}
		const input = kind === 'select' ? h('select', { id: fid, 'aria-describedby': eid },
			options.map(([v, l]) => h('option', { value: v }, l))) :
			h(kind === 'long' ? 'textarea' : 'input', { id: fid, type: kind === 'long' ? null : kind, required, 'aria-describedby': eid, rows: kind === 'long' ? 3 : null });
		read[name] = () => {
			const v = input.value.trim();
			return v === '' ? null : kind === 'number' ? Number(v) : v;
		};
		return h('div', { class: 'field' }, h('label', { for: fid }, label, required ? ' *' : ''), input, errors[name]);
	});
	const form = h('form', {
		class: 'record-form', novalidate: true, onsubmit: async ev => {
			ev.preventDefault();
			Object.values(errors).forEach(e => { e.textContent = ''; });
			form.querySelectorAll('[aria-invalid]').forEach(x => x.removeAttribute('aria-invalid'));
			summary.textContent = '';
			const body = {};
			for (const [name] of fields) {
				const v = read[name]();
				if (v !== null && !(Array.isArray(v) && !v.length))
					body[name] = v;
			}
			try {
				await submit(body);
			} catch (e) {
				const f = e.field && e.field.split(/[.[]/)[0];
				if (f && errors[f]) {
					errors[f].textContent = e.message;
					const el = document.getElementById(`${prefix}-${f}`);
					el.setAttribute('aria-invalid', 'true');
					(el.querySelector('input') || el).focus();
				} else {
					summary.textContent = e.message;
				}
			}
		},
	}, summary, rows, h('div', { class: 'buttons' },
		h('button', { type: 'submit', class: 'primary' }, t('form.save')),
		h('a', { href: cancelHref, class: 'button secondary' }, t('form.cancel'))));
	return form;
}

async function subcontractForm(main, params) {
	const parent = Number(params.get('parent_vendor_id'));
	const p = await get(`/vendors/${parent}`);
	// The subcontractor: a vendor of the register, picked by name.
	const found = h('select', { id: 'sc-vendor_id' });
	const qid = nextId('sc-q');
	const search = h('input', {
		id: qid, type: 'search', oninput: async () => {
			if (search.value.trim().length < 2)
				return;
			const r = await get(`/vendors?q=${encodeURIComponent(search.value.trim())}&limit=20`);
			clear(found, r.items.filter(v => v.id !== parent).map(v => h('option', { value: v.id }, `${v.name} (#${v.id})`)));
		},
	});
	const form = recordForm('sc', [['scope', 'long', null, true], ['data_classes', 'checks', DATA_CLASSES],
		['period_end', 'date', null, true], ['host_ref', 'text'], ['flow_down', 'checks', FLOW_DOWN]], async body => {
		body.parent_vendor_id = parent;
		body.vendor_id = Number(found.value) || null;
		body.flow_down = Object.fromEntries(FLOW_DOWN.map(k => [k, (body.flow_down || []).includes(k)]));
		const r = await call('POST', '/subcontracts', body);
		location.hash = `#/subcontracts/${r.id}`;
	}, `#/vendors/${parent}`);
	form.prepend(h('div', { class: 'field' }, h('label', { for: qid }, t('sc.find_vendor')), search,
		h('label', { for: 'sc-vendor_id' }, t('sc.vendor_id'), ' *'), found,
		h('p', { id: 'sc-vendor_id-error', class: 'field-error' })));
	clear(main, heading(t('sc.new_title', { parent: p.name })), form);
}

async function subcontractPage(main, params, id, handed, done) {
	const s = await get(`/subcontracts/${id}`);
	const reload = (r, label) => draw(main, subcontractPage, params, id, r, label);
	const [parent, sub] = await Promise.all([vendorLink(s.parent_vendor_id), vendorLink(s.vendor_id)]);
	const sheetBox = h('div', {});
	if (s.assessment_id)
		sheetBox.append(h('p', {}, h('a', { href: `#/assessments/${s.assessment_id}` }, `${workflowLabel('assessment', 'subcontract')} #${s.assessment_id}`)));
	else if (s.state === 'draft') {
		const sheets = (await get(`/assessments?vendor_id=${s.vendor_id}&kind=subcontract&limit=20`)).items;
		const sel = h('select', { id: 'sc-sheet' }, sheets.map(c => h('option', { value: c.id }, `#${c.id} ${stateLabel('assessment', 'subcontract', c.state)}`)));
		const msg = h('p', { class: 'field-error', role: 'alert' });
		sheetBox.append(h('p', {}, t('sc.no_sheet')),
			sheets.length ? h('div', { class: 'inline-form' }, h('label', { for: 'sc-sheet' }, t('sc.sheet')), sel,
				h('button', {
					type: 'button', class: 'secondary', onclick: async () => {
						try {
							await call('PATCH', `/subcontracts/${id}`, { version: s.version, assessment_id: Number(sel.value) });
							reload();
						} catch (e) {
							msg.textContent = e.status === 409 ? t('actions.stale') : e.message;
						}
					},
				}, t('sc.attach'))) : null,
			h('button', {
				type: 'button', class: 'secondary', onclick: async () => {
					try {
						const c = await call('POST', '/assessments', { kind: 'subcontract', vendor_id: s.vendor_id });
						location.hash = `#/assessments/${c.id}`;
					} catch (e) {
						msg.textContent = e.message;
					}
				},
			}, t('sc.start_sheet')), msg);
	}
	const yes = v => (v ? t('answer.yes') : t('answer.no'));
	clear(main, heading(`${workflowLabel('subcontract')} #${s.id}`),
		done ? h('p', { class: 'notice done', role: 'status' }, t('actions.done', { action: done })) : null,
		h('p', {}, h('span', { class: 'badge state' }, stateLabel('subcontract', null, s.state)),
			s.flagged ? [' ', h('span', { class: 'badge warn' }, t('sc.flagged'), s.flag_reason ? `: ${s.flag_reason}` : '')] : null),
		h('dl', { class: 'props' },
			h('dt', {}, t('sc.parent')), h('dd', {}, parent), h('dt', {}, t('sc.vendor_id')), h('dd', {}, sub),
			h('dt', {}, t('sc.depth')), h('dd', {}, String(s.depth)),
			h('dt', {}, t('sc.scope')), h('dd', {}, s.scope),
			h('dt', {}, t('sc.data_classes')), h('dd', {}, s.data_classes.map(d => t(`data.${d}`)).join(', ')),
			h('dt', {}, t('sc.period_end')), h('dd', {}, s.period_end || '—'),
			h('dt', {}, t('sc.requested_by')), h('dd', {}, [s.requested_by, s.reviewed_by, s.decided_by].filter(Boolean).join(' → '))),
		h('section', { 'aria-labelledby': 'sec-fd' }, h('h2', { id: 'sec-fd' }, t('sc.flow_down')),
			h('ul', {}, FLOW_DOWN.map(k => h('li', {}, `${t(`sc.flow_down.${k}`)}: ${yes(s.flow_down?.[k])}`)))),
		h('section', { 'aria-labelledby': 'sec-sheet' }, h('h2', { id: 'sec-sheet' }, t('sc.sheet')), sheetBox),
		h('section', { 'aria-labelledby': 'sec-actions' }, h('h2', { id: 'sec-actions' }, t('case.actions')),
			await actionBar(`/subcontracts/${id}`, s, reload)));
}

async function incidentForm(main, params) {
	const vid = Number(params.get('vendor_id'));
	const v = await get(`/vendors/${vid}`);
	clear(main, heading(t('inc.new_title', { vendor: v.name })),
		recordForm('inc', [['detected_at', 'date'], ['aware_on', 'date', null, true], ['data_classes', 'checks', DATA_CLASSES],
			['people_affected', 'number'], ['people_affected_is_estimate', 'bool'],
			['cause', 'select', [['', '—'], ...CAUSES.map(c => [c, t(`inc.cause.${c}`)])]],
			['malicious', 'bool'], ['encrypted', 'bool'], ['description', 'long'], ['host_ref', 'text']], async body => {
			body.vendor_id = vid;
			const r = await call('POST', '/incidents', body);
			location.hash = `#/incidents/${r.id}`;
		}, `#/vendors/${vid}`));
}

async function incidentPage(main, params, id, handed, done) {
	const x = await get(`/incidents/${id}`);
	const reload = (r, label) => draw(main, incidentPage, params, id, r, label);
	const known = new Set(x.known_items || []);
	const boxes = REPORT_ITEMS.map(k => h('input', { type: 'checkbox', id: `inc-item-${k}`, value: k, checked: known.has(k), disabled: x.state === 'closed' }));
	const msg = h('p', { class: 'field-error', role: 'alert' });
	const pair = (k, v) => [h('dt', {}, t(`inc.${k}`)), h('dd', {}, v ?? '—')];
	clear(main, heading(`${workflowLabel('incident')} #${x.id}`),
		done ? h('p', { class: 'notice done', role: 'status' }, t('actions.done', { action: done })) : null,
		h('p', {}, h('span', { class: 'badge state' }, stateLabel('incident', null, x.state)), ' ',
			h('span', { class: x.reportable ? 'badge warn' : 'badge' }, x.reportable ? t('inc.reportable') : t('inc.not_reportable'))),
		h('dl', { class: 'props' },
			h('dt', {}, t('inc.vendor')), h('dd', {}, await vendorLink(x.vendor_id)),
			pair('aware_on', x.aware_on), pair('detected_at', x.detected_at),
			pair('people_affected', x.people_affected === null ? null : `${x.people_affected}${x.people_affected_is_estimate ? ` (${t('inc.estimate')})` : ''}`),
			pair('cause', x.cause ? t(`inc.cause.${x.cause}`) : null),
			pair('data_classes', (x.data_classes || []).map(d => t(`data.${d}`)).join(', ')),
			pair('reportable_cases', (x.reportable_cases || []).map(c => t(`inc.case.${c}`)).join(', ') || null)),
		h('section', { 'aria-labelledby': 'sec-deadlines' }, h('h2', { id: 'sec-deadlines' }, t('inc.deadlines')),
			h('dl', { class: 'props' }, pair('preliminary_due', x.preliminary_due), pair('preliminary_reported_on', x.preliminary_reported_on),
				pair('final_due', x.final_due), pair('final_reported_on', x.final_reported_on),
				pair('people_notified_on', x.people_notified_on)),
			x.deadline_note ? h('p', { class: 'muted' }, x.deadline_note) : null),
		h('section', { 'aria-labelledby': 'sec-items' }, h('h2', { id: 'sec-items' }, t('inc.items')),
			h('p', {}, x.unknown_items.length ? t('inc.unknown', { n: x.unknown_items.length }) : t('inc.all_known')),
			h('fieldset', {}, h('legend', {}, t('inc.known_items')),
				boxes.map((b, i) => h('span', { class: 'check' }, b, h('label', { for: b.id }, t(`inc.item.${REPORT_ITEMS[i]}`))))),
			x.state !== 'closed' ? h('button', {
				type: 'button', class: 'secondary', onclick: async () => {
					try {
						await call('PATCH', `/incidents/${id}`, { version: x.version, known_items: boxes.filter(b => b.checked).map(b => b.value) });
						reload();
					} catch (e) {
						msg.textContent = e.status === 409 ? t('actions.stale') : e.message;
					}
				},
			}, t('form.save')) : null, msg),
		h('section', { 'aria-labelledby': 'sec-actions' }, h('h2', { id: 'sec-actions' }, t('case.actions')),
			await actionBar(`/incidents/${id}`, x, reload)));
}

// ---- check-sheet templates (admins) ----------------------------------------------------

async function templatesPage(main) {
	const list = h('div', {});
	const msg = h('p', { role: 'status', class: 'action-message' });
	const fileId = nextId('tpl-file');
	const file = h('input', { id: fileId, type: 'file', accept: '.xml,.json,application/xml,application/json' });
	const form = h('form', {
		class: 'record-form compact', onsubmit: async ev => {
			ev.preventDefault();
			const f = file.files[0];
			if (!f)
				return;
			msg.className = 'action-message';
			msg.textContent = t('sheet.saving');
			const type = /\.json$/i.test(f.name) ? 'application/json' : 'application/xml';
			try {
				const r = await fetch(`${API}/templates`, {
					method: 'POST', credentials: 'same-origin', body: await f.text(),
					headers: { 'Content-Type': type, Accept: 'application/json' },
				});
				const body = await r.json();
				if (!r.ok)
					throw Object.assign(new Error(body.detail || body.title), { field: body.field });
				msg.textContent = t('templates.imported', { code: body.code, version: body.version });
				draw();
			} catch (e) {
				msg.className = 'action-message error';
				msg.textContent = t('templates.refused', { detail: e.message + (e.field ? ` (${e.field})` : '') });
			}
		},
	}, h('h2', {}, t('templates.import')), h('p', { class: 'muted' }, t('templates.import_help')),
	h('label', { for: fileId }, t('templates.file')), file,
	h('button', { type: 'submit', class: 'primary' }, t('templates.upload')), msg);
	const draw = async () => {
		try {
			const r = await get('/templates?limit=100');
			clear(list, h('table', { class: 'list' },
				h('thead', {}, h('tr', {}, [t('templates.code'), t('templates.version'), t('templates.title_col'), t('templates.created')].map(x => h('th', { scope: 'col' }, x)))),
				h('tbody', {}, r.items.map(x => h('tr', {},
					h('td', {}, h('a', { href: `#/templates/${x.id}` }, x.code)), h('td', {}, String(x.version)),
					h('td', {}, pick(x.title)), h('td', {}, `${fmtDate(x.created_at)} ${x.created_by}`))))));
		} catch (e) {
			clear(list, errorBox(e));
		}
	};
	clear(main, heading(t('templates.title')), list, form);
	await draw();
}

async function templatePage(main, params, id) {
	const x = await get(`/templates/${id}`);
	clear(main, heading(`${pick(x.title)} (${x.code} v${x.version})`),
		h('p', {}, h('a', { href: '#/templates' }, t('templates.back'))),
		x.sections.map(s => h('section', { 'aria-labelledby': `sec-${s.code}` },
			h('h2', { id: `sec-${s.code}` }, `${s.code}. ${pick(s.title)}`),
			h('ol', {}, s.questions.map(q => h('li', {}, h('span', { class: 'q-code' }, q.code), ' ', pick(q.text),
				h('span', { class: 'muted' }, ` (${t(`qtype.${q.type}`, null, q.type)}${q.mandatory ? `, ${t('finding.mandatory')}` : ''}; ${q.tiers.map(ti => t(`tier.${ti}`)).join(' / ')}; ${q.basis || ''})`)))))));
}

// ---- routing ----------------------------------------------------------------------

// Draws page fn into main; a read that fails (404, 403, the network)
// leaves its reason there instead.
async function draw(main, fn, ...args) {
	try {
		await fn(main, ...args);
	} catch (e) {
		clear(main, errorBox(e));
	}
}

const ROUTES = [
	[/^\/vendors$/, vendorsPage, 'vendors'],
	[/^\/vendors\/new$/, (m, p) => vendorForm(m, p, null), 'vendors'],
	[/^\/vendors\/(\d+)$/, vendorDetail, 'vendors'],
	[/^\/vendors\/(\d+)\/edit$/, vendorForm, 'vendors'],
	[/^\/assessments\/(\d+)$/, casePage, 'my_queue'],
	[/^\/assessments\/(\d+)\/sheet$/, sheetPage, 'my_queue'],
	[/^\/my-queue$/, queuePage, 'my_queue'],
	[/^\/dashboard$/, dashboardPage, 'dashboard'],
	[/^\/templates$/, templatesPage, 'templates'],
	[/^\/subcontracts\/new$/, subcontractForm, 'vendors'],
	[/^\/subcontracts\/(\d+)$/, subcontractPage, 'my_queue'],
	[/^\/incidents\/new$/, incidentForm, 'vendors'],
	[/^\/incidents\/(\d+)$/, incidentPage, 'my_queue'],
	[/^\/templates\/(\d+)$/, templatePage, 'templates'],
];

async function route() {
	const hash = location.hash.replace(/^#/, '') || '/vendors';
	const [path, query] = hash.split('?');
	const found = ROUTES.map(([re, fn, menu]) => [re.exec(path), fn, menu]).find(([m]) => m);
	const [m, fn, menu] = found || [null, vendorsPage, 'vendors'];
	const nav = (manifest?.menu || []).filter(x => x.roles.some(r => me?.roles?.includes(r)))
		.map(x => [pick(x.label), `#/${x.page.replace('_', '-')}`, x.id === menu]);
	const main = frame({ title: t('app.title'), nav, user: me?.user, onLang: start });
	await draw(main, fn, new URLSearchParams(query || ''), ...(m ? m.slice(1) : []));
}

async function start() {
	await loadMessages();
	if (!manifest)
		[manifest, me] = await Promise.all([get('/manifest'), get('/me').catch(() => ({ user: null, roles: [] }))]);
	await route();
}

window.addEventListener('hashchange', route);
start();
