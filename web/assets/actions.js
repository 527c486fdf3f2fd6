// Workflow buttons drawn from a record's /actions: labels from the
// manifest, a comment box where the transition requires one, and the
// version sent along, so a stale click says so instead of overwriting.

import { h, clear, nextId } from './dom.js';
import { t, pick } from './i18n.js';
import { call } from './api.js';

// path: "/assessments/7"; rec: the record as read (its version).
export async function actionBar(path, rec, onDone) {
	const box = h('div', { class: 'actions' });
	let list;
	try {
		list = (await call('GET', `${path}/actions`)).actions;
	} catch (e) {
		return clear(box, h('p', { class: 'error' }, e.message));
	}
	if (!list.length)
		return clear(box, h('p', { class: 'muted' }, t('actions.none')));
	const msg = h('p', { class: 'action-message', role: 'status', 'aria-live': 'polite' });
	const commentId = nextId('comment');
	const comment = h('textarea', { id: commentId, rows: 2, class: 'comment' });
	// Every transition takes a comment; some require one (said on click).
	clear(box,
		h('div', { class: 'comment-box' }, h('label', { for: commentId }, t('actions.comment')), comment),
		h('div', { class: 'buttons' }, list.map(a => h('button', {
			type: 'button', 'data-action': a.id, class: a.id === 'approve' ? 'primary' : 'secondary',
			onclick: async ev => {
				if (a.comment_required && !comment.value.trim()) {
					msg.textContent = t('actions.comment_required', { action: pick(a.label) });
					msg.className = 'action-message error';
					comment.focus();
					return;
				}
				ev.target.disabled = true;
				const body = { action: a.id, version: rec.version };
				if (comment.value.trim())
					body.comment = comment.value.trim();
				try {
					const r = await call('POST', `${path}/transitions`, body);
					msg.textContent = t('actions.done', { action: pick(a.label) });
					msg.className = 'action-message';
					onDone(r, pick(a.label));
				} catch (e) {
					ev.target.disabled = false;
					msg.className = 'action-message error';
					if (e.status === 409 && ['stale_version', 'not_in_this_state'].includes(e.code)) {
						clear(msg, t('actions.stale'), ' ',
							h('button', { type: 'button', class: 'link', onclick: () => onDone(null) }, t('actions.reload')));
					} else {
						msg.textContent = e.message;
					}
				}
			},
		}, pick(a.label)))),
		msg);
	return box;
}
