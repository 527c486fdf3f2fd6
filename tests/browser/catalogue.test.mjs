// The two message catalogues hold the same keys, and every literal key
// the pages ask for (t('…')) is in both: a label cannot be missing in
// one language only.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';

const web = new URL('../../web/', import.meta.url);
const cat = l => JSON.parse(readFileSync(new URL(`i18n/${l}.json`, web), 'utf8'));

test('ja and en hold the same keys, none empty', () => {
	const ja = cat('ja'), en = cat('en');
	assert.deepEqual(Object.keys(ja).sort(), Object.keys(en).sort());
	for (const [l, c] of [['ja', ja], ['en', en]])
		assert.deepEqual(Object.entries(c).filter(([, v]) => !String(v).trim()).map(([k]) => k), [], `${l}: empty messages`);
});

test('every literal key the pages use is in the catalogues', () => {
	const ja = cat('ja');
	const used = new Set();
	for (const f of readdirSync(new URL('assets/', web)).filter(f => f.endsWith('.js')))
		for (const m of readFileSync(new URL(`assets/${f}`, web), 'utf8').matchAll(/\bt\('([a-z_.]+)'[,)]/g))
			used.add(m[1]);
	assert.ok(used.size > 100, `found ${used.size} keys`);
	assert.deepEqual([...used].filter(k => !(k in ja)).sort(), []);
});
