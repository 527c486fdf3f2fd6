// Small DOM helpers: every text goes in as text, never as HTML.

export function h(tag, attrs, ...children) {
	const el = document.createElement(tag);
	for (const [k, v] of Object.entries(attrs || {})) {
		if (v === null || v === undefined || v === false)
			continue;
		if (k.startsWith('on'))
			el.addEventListener(k.slice(2), v);
		else if (k === 'class')
			el.className = v;
		else
			el.setAttribute(k, v === true ? '' : String(v));
	}
	append(el, children);
	return el;
}

function append(el, children) {
	for (const c of children.flat(Infinity)) {
		if (c === null || c === undefined || c === false)
			continue;
		el.append(c instanceof Node ? c : document.createTextNode(String(c)));
	}
}

export function clear(el, ...children) {
	el.replaceChildren();
	append(el, children);
	return el;
}

let uid = 0;
export function nextId(prefix) {
	return `${prefix}-${++uid}`;
}
