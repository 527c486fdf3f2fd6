// Grouped bar charts as SVG (no canvas): each chart has a title and a
// description for screen readers, and the same numbers as a table.

import { h } from './dom.js';
import { t } from './i18n.js';

const NS = 'http://www.w3.org/2000/svg';

function s(tag, attrs, ...children) {
	const el = document.createElementNS(NS, tag);
	for (const [k, v] of Object.entries(attrs || {}))
		el.setAttribute(k, String(v));
	for (const c of children.flat(Infinity))
		if (c !== null && c !== undefined)
			el.append(c instanceof Node ? c : document.createTextNode(String(c)));
	return el;
}

// { id, title, categories: [label], series: [{ name, cls, values: [n] }] }
export function barChart({ id, title, categories, series }) {
	const W = 560, H = 240, left = 40, bottom = 40, top = 16;
	const max = Math.max(1, ...series.flatMap(x => x.values));
	const step = (W - left) / Math.max(1, categories.length);
	const bw = Math.max(2, (step * 0.8) / Math.max(1, series.length));
	const y = v => top + (H - top - bottom) * (1 - v / max);
	const total = series.reduce((n, x) => n + x.values.reduce((a, b) => a + b, 0), 0);
	const svg = s('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-labelledby': `${id}-t ${id}-d`, class: 'chart' },
		s('title', { id: `${id}-t` }, title),
		s('desc', { id: `${id}-d` }, t('chart.desc', { total })),
		s('line', { x1: left, y1: H - bottom, x2: W, y2: H - bottom, class: 'axis' }),
		s('text', { x: left - 6, y: y(max) + 4, class: 'tick', 'text-anchor': 'end' }, max),
		s('text', { x: left - 6, y: H - bottom + 4, class: 'tick', 'text-anchor': 'end' }, 0),
		categories.map((c, i) => [
			series.map((x, j) => s('rect', {
				x: left + i * step + step * 0.1 + j * bw, y: y(x.values[i]), width: bw - 1,
				height: H - bottom - y(x.values[i]), class: `bar ${x.cls}`,
			}, s('title', {}, `${c} ${x.name}: ${x.values[i]}`))),
			s('text', { x: left + i * step + step / 2, y: H - bottom + 16, class: 'label', 'text-anchor': 'middle' },
				categories.length > 12 ? (i % 3 ? '' : c) : categories.length > 8 && i % 2 ? '' : c),
		]));
	const legend = h('ul', { class: 'legend' }, series.map(x => h('li', {}, h('span', { class: `swatch ${x.cls}`, 'aria-hidden': 'true' }), x.name)));
	const table = h('details', {}, h('summary', {}, t('chart.table')),
		h('table', { class: 'list' },
			h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, ''), series.map(x => h('th', { scope: 'col' }, x.name)))),
			h('tbody', {}, categories.map((c, i) => h('tr', {}, h('th', { scope: 'row' }, c), series.map(x => h('td', {}, String(x.values[i]))))))));
	return h('figure', { class: 'chart-box', id }, h('figcaption', {}, h('h2', {}, title)), svg, legend, table);
}
