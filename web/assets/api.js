// The public API, nothing else: JSON in and out, problem documents
// (RFC 9457) turned into ApiError with the field they name.

import { ROOT } from './i18n.js';

export const API = `${ROOT}api`;
export const VENDOR_API = `${ROOT}vendor`;

export class ApiError extends Error {
	constructor(status, problem) {
		super(problem.detail || problem.title || `HTTP ${status}`);
		this.status = status;
		this.problem = problem;
		this.code = problem.code;
		this.field = problem.field;
	}
}

export async function call(method, path, body, base = API) {
	return request(method, path, body === undefined ? undefined : JSON.stringify(body),
		'application/json', base);
}

// A file as the body (a returned check sheet).  Browsers label CSV by
// the system's idea (Excel's on Windows), so the server tells by content.
export const upload = (path, file, base = API) => request('POST', path, file,
	'application/octet-stream', base);

async function request(method, path, body, mediaType, base) {
	const headers = { Accept: 'application/json' };
	if (body !== undefined)
		headers['Content-Type'] = mediaType;
	let r;
	try {
		r = await fetch(base + path, { method, headers, credentials: 'same-origin', body });
	} catch (e) {
		throw new ApiError(0, { code: 'network', detail: String(e) });
	}
	const type = r.headers.get('Content-Type') || '';
	const data = type.includes('json') ? await r.json() : await r.text();
	if (!r.ok)
		throw new ApiError(r.status, typeof data === 'object' ? data : { detail: data });
	return data;
}

export const get = (path, base) => call('GET', path, undefined, base);
