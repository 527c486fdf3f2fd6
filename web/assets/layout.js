// The frame of every page: the skip link, the header with the language
// switch, and the main region pages draw into.

import { h, clear } from './dom.js';
import { t, lang, LANGS, setLang } from './i18n.js';

export function frame({ title, nav = [], user = null, onLang }) {
	const main = h('main', { id: 'main', tabindex: '-1' });
	const other = LANGS.find(l => l !== lang);
	const header = h('header', { class: 'top' },
		h('a', { class: 'skip', href: '#main', onclick: ev => { ev.preventDefault(); main.focus(); } }, t('frame.skip')),
		h('span', { class: 'product' }, title),
		nav.length ? h('nav', { 'aria-label': t('frame.nav') }, h('ul', {}, nav.map(([label, href, current]) =>
			h('li', {}, h('a', { href, 'aria-current': current ? 'page' : null }, label))))) : null,
		h('span', { class: 'spacer' }),
		user ? h('span', { class: 'user' }, t('frame.signed_in', { user })) : null,
		h('button', {
			type: 'button', id: 'lang-toggle', lang: other, class: 'secondary',
			onclick: () => { setLang(other); onLang(); },
		}, t(`frame.lang_${other}`)));
	clear(document.body, header, main);
	return main;
}
