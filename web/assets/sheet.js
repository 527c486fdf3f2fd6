// A check sheet: sections, each question by its answer type with its
// guideline basis and help, a progress bar, autosave of the draft and
// submit.  The same module serves the intranet page and the vendor's
// page; `io` says how answers are saved and the sheet is submitted.

import { h, clear, nextId } from './dom.js';
import { t, pick } from './i18n.js';

const SAVE_DELAY_MS = 800;

function sectionOf(code) {
	const i = code.indexOf('-');
	return i > 0 ? code.slice(0, i) : code;
}

// Questions grouped by section, in the sheet's order.
function groups(questions, sections) {
	const titles = new Map((sections || []).map(s => [s.code, s.title]));
	const out = [];
	for (const q of questions) {
		const code = sectionOf(q.code);
		let g = out.find(x => x.code === code);
		if (!g)
			out.push(g = { code, title: titles.get(code), questions: [] });
		g.questions.push(q);
	}
	return out;
}

// The input(s) of one question; read() gives the value as the API wants it.
function field(q, value, disabled, describedBy) {
	const name = `q-${q.code}`;
	const id = nextId(name);
	const common = { disabled, 'aria-describedby': describedBy };
	let inputs = [], el, read;
	const choice = (type, opts, checked) => h('div', { class: 'choices', role: type === 'radio' ? 'radiogroup' : 'group', 'aria-labelledby': `${id}-label`, ...common },
		opts.map(o => {
			const oid = nextId(name);
			const inp = h('input', { type, id: oid, name, value: o.code, checked: checked(o.code), disabled });
			inputs.push(inp);
			return h('label', { for: oid, class: 'choice' }, inp, ' ', o.label);
		}));
	switch (q.type) {
	case 'yes_no': {
		const opts = [{ code: 'yes', label: t('answer.yes') }, { code: 'no', label: t('answer.no') }];
		if (q.na_allowed)
			opts.push({ code: 'na', label: t('answer.na') });
		el = choice('radio', opts, c => value === c);
		read = () => inputs.find(i => i.checked)?.value ?? null;
		break;
	}
	case 'single_choice':
		el = choice('radio', q.options.map(o => ({ code: o.code, label: pick(o.label) })), c => value === c);
		read = () => inputs.find(i => i.checked)?.value ?? null;
		break;
	case 'multiple_choice':
		el = choice('checkbox', q.options.map(o => ({ code: o.code, label: pick(o.label) })),
			c => Array.isArray(value) && value.includes(c));
		read = () => inputs.filter(i => i.checked).map(i => i.value);
		break;
	case 'number':
		el = h('input', { type: 'number', id, value: value ?? '', step: 'any', inputmode: 'decimal', 'aria-labelledby': `${id}-label`, ...common });
		read = () => (el.value === '' ? null : Number(el.value));
		break;
	case 'date':
		el = h('input', { type: 'date', id, value: value ?? '', 'aria-labelledby': `${id}-label`, ...common });
		read = () => el.value || null;
		break;
	default:
		el = h('textarea', { id, rows: 3, 'aria-labelledby': `${id}-label`, ...common }, value ?? '');
		read = () => el.value || null;
	}
	return { id, el, read, inputs: inputs.length ? inputs : [el] };
}

/*
 * render(container, { questions, sections, answers, previous, answered,
 * required, editable, io: { save(answers) -> result, submit() -> result,
 * downloads: [[label, href]], upload(file) -> result (the filled-in
 * workbook or CSV sent back; the caller shows the sheet again) } })
 */
export function renderSheet(root, sheet) {
	const byCode = new Map((sheet.answers || []).map(a => [a.question, a]));
	const prev = new Map((sheet.previous || []).map(a => [a.question, a]));
	const fields = new Map();
	const pending = new Map();
	let timer = null, saving = Promise.resolve();

	const progress = h('progress', { max: sheet.required || 0, value: sheet.answered || 0, 'aria-labelledby': 'sheet-progress-label' });
	const progressText = h('span', { id: 'sheet-progress-label' });
	const status = h('p', { class: 'save-status', role: 'status', 'aria-live': 'polite' });
	const setProgress = (answered, required) => {
		progress.max = required;
		progress.value = answered;
		progressText.textContent = t('sheet.progress', { answered, required });
	};
	setProgress(sheet.answered || 0, sheet.required || 0);

	const errorOf = code => fields.get(code)?.error;
	const showErrors = (problem, sent) => {
		for (const f of fields.values())
			f.error.textContent = '';
		const m = /^answers\[(\d+)\]/.exec(problem.field || '');
		const code = m ? sent[Number(m[1])]?.question : null;
		if (code && errorOf(code)) {
			errorOf(code).textContent = problem.detail;
			fields.get(code).box.classList.add('invalid');
		}
		status.textContent = t('sheet.save_failed', { detail: problem.detail || '' });
		status.className = 'save-status error';
	};

	const flush = async () => {
		timer = null;
		if (pending.size === 0)
			return;
		const sent = [...pending.values()];
		pending.clear();
		status.textContent = t('sheet.saving');
		status.className = 'save-status';
		try {
			const r = await sheet.io.save(sent);
			for (const f of fields.values())
				f.box.classList.remove('invalid');
			for (const a of sent)
				if (errorOf(a.question))
					errorOf(a.question).textContent = '';
			setProgress(r.answered, r.required);
			status.textContent = t('sheet.saved');
		} catch (e) {
			for (const a of sent)
				if (!pending.has(a.question))
					pending.set(a.question, a);
			showErrors(e.problem || { detail: e.message }, sent);
		}
	};
	const schedule = () => {
		clearTimeout(timer);
		timer = setTimeout(() => { saving = saving.then(flush); }, SAVE_DELAY_MS);
	};
	const saveNow = () => {
		clearTimeout(timer);
		saving = saving.then(flush);
		return saving;
	};

	const sectionEls = groups(sheet.questions, sheet.sections).map(g => h('fieldset', { class: 'section' },
		h('legend', {}, g.title ? `${g.code}. ${pick(g.title)}` : g.code),
		g.questions.map(q => {
			const a = byCode.get(q.code);
			const helpId = nextId('help');
			const errId = nextId('err');
			const f = field(q, a?.value ?? null, !sheet.editable, `${helpId} ${errId}`);
			const note = h('input', { type: 'text', id: nextId('note'), value: a?.note ?? '', disabled: !sheet.editable, class: 'note' });
			const error = h('p', { id: errId, class: 'field-error' });
			const p = prev.get(q.code);
			const box = h('div', { class: 'question', 'data-question': q.code },
				h('p', { class: 'q-text', id: `${f.id}-label` },
					h('span', { class: 'q-code' }, q.code), ' ', pick(q.text),
					q.required ? h('span', { class: 'required', title: t('sheet.required') }, ' *') : null,
					q.required ? h('span', { class: 'visually-hidden' }, t('sheet.required')) : null),
				f.el,
				h('div', { id: helpId, class: 'q-meta' },
					q.basis ? h('p', { class: 'basis' }, t('sheet.basis'), ': ', q.basis) : null,
					q.help ? h('p', { class: 'help' }, pick(q.help)) : null,
					p ? h('p', { class: 'previous' }, t('sheet.previous'), ': ', JSON.stringify(p.value),
						a && a.changed ? ` (${t('sheet.changed')})` : '') : null),
				h('label', { for: note.id, class: 'note-label' }, t('sheet.note')), note,
				error);
			const onChange = () => {
				pending.set(q.code, { question: q.code, value: f.read(), note: note.value || null });
				schedule();
			};
			f.inputs.forEach(i => i.addEventListener('change', onChange));
			if (q.type === 'text' || q.type === 'number')
				f.el.addEventListener('input', onChange);
			note.addEventListener('change', onChange);
			fields.set(q.code, { box, error, read: f.read });
			return box;
		})));

	const downloads = (sheet.io.downloads || []).map(([label, href]) => h('a', { href, class: 'button secondary', download: '' }, label));
	const picker = h('input', {
		type: 'file', id: 'sheet-upload', class: 'file',
		accept: '.xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv',
		onchange: async () => {
			const file = picker.files[0];
			if (!file)
				return;
			picker.disabled = true;
			status.textContent = t('sheet.uploading');
			status.className = 'save-status';
			try {
				await saveNow();
				await sheet.io.upload(file);
			} catch (e) {
				status.textContent = t('sheet.upload_failed', { detail: e.message });
				status.className = 'save-status error';
				picker.disabled = false;
				picker.value = '';
			}
		},
	});
	const uploader = sheet.io.upload && sheet.editable ? h('span', { class: 'upload' },
		h('label', { for: 'sheet-upload' }, t('sheet.upload')), ' ', picker) : null;
	const submit = sheet.io.submit && sheet.editable ? h('button', {
		type: 'button', class: 'primary', onclick: async ev => {
			ev.target.disabled = true;
			await saveNow();
			try {
				await sheet.io.submit();
				status.textContent = t('sheet.submitted');
				status.className = 'save-status';
			} catch (e) {
				status.textContent = e.code === 'guard_failed' || e.status === 409 ?
					t('sheet.not_complete', { detail: e.message }) : e.message;
				status.className = 'save-status error';
				ev.target.disabled = false;
			}
		},
	}, t('sheet.submit')) : null;

	clear(root,
		h('div', { class: 'sheet-bar' }, progressText, ' ', progress, ' ', downloads, uploader, status),
		sectionEls,
		h('div', { class: 'sheet-actions' }, submit));
}
