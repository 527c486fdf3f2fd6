// One message catalogue per language (i18n/ja.json, i18n/en.json);
// Japanese unless the user chose English, and the choice is remembered.

const KEY = 'vendor-review.lang';
export const ROOT = new URL('../', import.meta.url).pathname;
export const LANGS = ['ja', 'en'];
let messages = {};

export let lang = LANGS.includes(localStorage.getItem(KEY)) ?
	localStorage.getItem(KEY) : 'ja';

export async function loadMessages() {
	const r = await fetch(`${ROOT}i18n/${lang}.json`, { credentials: 'same-origin' });
	messages = await r.json();
	document.documentElement.lang = lang;
}

export function setLang(l) {
	localStorage.setItem(KEY, l);
	lang = l;
}

// The message for key (vars filled in); fallback, or the key itself,
// when the catalogue has none.
export function t(key, vars, fallback) {
	let s = messages[key] ?? fallback ?? key;
	if (vars)
		s = s.replace(/\{(\w+)\}/g, (m, k) => (k in vars ? String(vars[k]) : m));
	return s;
}

// A label object of the API ({"ja": …, "en": …}) in the page's language.
export function pick(label) {
	if (!label)
		return '';
	if (typeof label === 'string')
		return label;
	return label[lang] ?? label.ja ?? label.en ?? '';
}

export function fmtDate(iso) {
	if (!iso)
		return '';
	return iso.length > 10 ? new Date(iso).toLocaleString(lang === 'ja' ? 'ja-JP' : 'en-GB',
		{ timeZone: 'Asia/Tokyo', dateStyle: 'medium', timeStyle: 'short' }) : iso;
}
