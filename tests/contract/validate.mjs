// The contract test: every exchange the integration suite had with the
// real stack (nginx -> plugin -> MariaDB), as tests/integration/vrlib.py
// logged it (VR_CONTRACT_LOG), checked against docs/openapi.yaml:
//   - the request matches an operation (path and method), or is one the
//     router refuses (404 no_such_route, 405 method_not_allowed: the
//     file's x-unrouted);
//   - the status is one the operation documents, the media type one of
//     that response's, and the body validates: JSON with ajv (JSON
//     Schema 2020-12, ajv-formats), XML with xmllint --schema against
//     the XSD the operation names (x-xsd), its root element the one named;
//   - a request the server accepted (2xx) used only documented query
//     parameters and sent a body its requestBody describes and whose
//     schema it meets (a body the schema refuses must have been refused).
// Any exchange no operation describes, or any body that does not
// validate, is a failure.  Also: every schema of api.schema.json
// compiles in ajv's strict mode.  Last line: "contract: N passed, N failed".
//
//   node validate.mjs --repo DIR --exchanges FILE.jsonl

import fs from "node:fs";
import path from "node:path";
import os from "node:os";
import { execFileSync } from "node:child_process";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import YAML from "yaml";

const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) => {
  if (a.startsWith("--")) acc.push([a.slice(2), all[i + 1]]);
  return acc;
}, []));
const repo = path.resolve(args.repo || path.join(import.meta.dirname, "..", ".."));
const exchangesFile = args.exchanges;
const SERVER_BASE = "/vendor-review";

let passed = 0; // checks that held: the schema file, each exchange
let otherFailed = 0; // checks that did not, besides exchanges
let failed = 0; // faults found (an exchange may have several)
const failures = new Map(); // reason -> { count, example }

function fail(reason, example) {
  failed++;
  const f = failures.get(reason);
  if (f) f.count++;
  else failures.set(reason, { count: 1, example });
}

const doc = YAML.parse(fs.readFileSync(path.join(repo, "docs", "openapi.yaml"), "utf8"));

function makeAjv(strict) {
  const ajv = new Ajv2020({ strict, allErrors: true, unicodeRegExp: true });
  addFormats(ajv);
  ajv.addFormat("binary", true);
  return ajv;
}

// The JSON Schema file: every schema compiles strictly.
{
  const ajv = makeAjv(true);
  const js = JSON.parse(fs.readFileSync(path.join(repo, "plugin-manifests", "schemas",
    "api.schema.json"), "utf8"));
  try {
    ajv.addSchema(js);
    for (const name of Object.keys(js.$defs)) ajv.getSchema(`${js.$id}#/$defs/${name}`);
    passed++;
  } catch (e) {
    fail(`api.schema.json does not compile: ${e.message}`, "");
    otherFailed++;
  }
}

// The OpenAPI document as one schema resource: operations' schemas are
// reached by JSON pointer, their $refs into #/components/schemas.
const ajv = makeAjv(false);
ajv.addSchema({ ...doc, $id: "urn:vr:openapi" });
const compiled = new Map();
function validator(pointer) {
  let v = compiled.get(pointer);
  if (!v) {
    v = ajv.getSchema("urn:vr:openapi#" + pointer);
    if (!v) throw new Error("no schema at " + pointer);
    compiled.set(pointer, v);
  }
  return v;
}
const esc = (s) => s.replace(/~/g, "~0").replace(/\//g, "~1");

// Path templates to regular expressions, as the router matches them.
const routes = Object.keys(doc.paths).map((tpl) => ({
  tpl,
  re: new RegExp("^" + tpl.replace(/[.]/g, "\\.").replace(/\{id\}/g, "[1-9][0-9]{0,18}")
    .replace(/\{token\}/g, "[A-Za-z0-9_-]{1,128}") + "$"),
}));

function mediaOf(ct) {
  return (ct || "").split(";")[0].trim().toLowerCase();
}

function bodyBytes(text, enc) {
  if (text == null) return Buffer.alloc(0);
  return enc === "base64" ? Buffer.from(text, "base64") : Buffer.from(text, "utf8");
}

// XML bodies are checked in batches per XSD by one xmllint each.
const xmlJobs = new Map(); // xsd -> [{ file, what, element }]
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "vr-contract-"));
let xmlSeq = 0;
let current = null; // the exchange being checked: { ok }
function checkXml(bytes, xsd, element, what) {
  const file = path.join(tmp, `b${xmlSeq++}.xml`);
  fs.writeFileSync(file, bytes);
  if (!xmlJobs.has(xsd)) xmlJobs.set(xsd, []);
  xmlJobs.get(xsd).push({ file, what, element, ex: current });
}

function rootElement(bytes) {
  const s = bytes.toString("utf8");
  const m = s.replace(/<\?xml[^>]*\?>/, "").replace(/<!--[\s\S]*?-->/g, "")
    .match(/<([A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)[\s>/]/);
  return m ? m[2] : null;
}

function validateJson(pointer, bytes, what) {
  let value;
  try {
    value = JSON.parse(bytes.toString("utf8"));
  } catch (e) {
    fail(`${what}: not JSON`, e.message);
    return false;
  }
  const v = validator(pointer);
  if (!v(value)) {
    const errs = v.errors.slice(0, 3).map((e) => `${e.instancePath || "/"} ${e.message}` +
      (e.params && e.params.additionalProperty ? ` (${e.params.additionalProperty})` : "") +
      (e.params && e.params.allowedValues ? ` (${JSON.stringify(e.params.allowedValues).slice(0, 200)})` : ""));
    fail(`${what}: ${errs[0]}`, errs.join("; ") + " :: " + bytes.toString("utf8").slice(0, 300));
    return false;
  }
  return true;
}

// Validates one body against a content map; returns false on failure.
function checkBody(content, pointerBase, mediaType, bytes, what) {
  const media = mediaOf(mediaType);
  const key = Object.keys(content).find((k) => mediaOf(k) === media);
  if (key === undefined) {
    fail(`${what}: media type ${media || "(none)"} not documented (has ${Object.keys(content).join(", ")})`, "");
    return false;
  }
  const entry = content[key];
  const ptr = `${pointerBase}/content/${esc(key)}/schema`;
  if (media.endsWith("json")) return validateJson(ptr, bytes, `${what} ${media}`);
  if (media.endsWith("xml")) {
    if (!entry["x-xsd"]) {
      fail(`${what}: XML without x-xsd`, "");
      return false;
    }
    checkXml(bytes, path.join(repo, entry["x-xsd"].schema), entry["x-xsd"].element, `${what} ${media}`);
    return true;
  }
  if (bytes.length === 0) {
    fail(`${what}: empty ${media} body`, "");
    return false;
  }
  return true;
}

const METHODS = ["get", "put", "post", "patch", "delete"];
let skipped = 0;
const lines = exchangesFile && fs.existsSync(exchangesFile)
  ? fs.readFileSync(exchangesFile, "utf8").split("\n").filter(Boolean) : [];
if (lines.length === 0) {
  fail("no exchanges were logged (VR_CONTRACT_LOG)", exchangesFile || "");
  otherFailed++;
}

const checked = [];
const exercised = new Set();
for (const line of lines) {
  const ex = JSON.parse(line);
  current = { ok: true };
  if (!ex.path.startsWith(SERVER_BASE + "/api/") && !ex.path.startsWith(SERVER_BASE + "/vendor/")
      && ex.path !== SERVER_BASE + "/api" && ex.path !== SERVER_BASE + "/vendor") {
    skipped++; // the pages, not the API
    continue;
  }
  checked.push(current);
  const p = ex.path.slice(SERVER_BASE.length);
  const method = ex.method.toLowerCase();
  const route = routes.find((r) => r.re.test(p));
  const what = `${ex.method} ${route ? route.tpl : p} -> ${ex.status}`;
  const resBytes = bodyBytes(ex.response_body, ex.response_encoding);
  const op = route && doc.paths[route.tpl][method];
  if (!op) {
    // The router's own answers to what no operation describes.
    const want = route && !op ? 405 : 404;
    const unrouted = doc["x-unrouted"][String(ex.status)];
    if (ex.status !== want || !unrouted) {
      fail(`${ex.method} ${p}: no operation describes it (status ${ex.status})`, "");
      current.ok = false;
      continue;
    }
    if (mediaOf(ex.response_type) === "application/problem+json") {
      if (!validateJson(`/x-unrouted/${ex.status}/content/application~1problem+json/schema`,
        resBytes, what)) {
        current.ok = false;
        continue;
      }
      const code = JSON.parse(resBytes.toString("utf8")).code;
      if (code !== (want === 404 ? "no_such_route" : "method_not_allowed")) {
        fail(`${what}: unrouted with code ${code}`, "");
        current.ok = false;
        continue;
      }
    } else if (mediaOf(ex.response_type) === "application/problem+xml") {
      checkXml(resBytes, path.join(repo, "plugin-manifests/schemas/problem.xsd"), "problem", what);
    }
    continue;
  }
  const opPtr = `/paths/${esc(route.tpl)}/${method}`;
  exercised.add(`${ex.method} ${route.tpl}`);
  const resp = op.responses[String(ex.status)];
  if (!resp) {
    fail(`${what}: status not documented (has ${Object.keys(op.responses).join(", ")})`,
      resBytes.toString("utf8").slice(0, 200));
    current.ok = false;
    continue;
  }
  let ok = true;
  const okStatus = ex.status >= 200 && ex.status < 300;
  // The request the server accepted.
  if (okStatus) {
    const known = new Set((op.parameters || []).filter((x) => x.in === "query").map((x) => x.name));
    for (const kv of (ex.query || "").split("&").filter(Boolean)) {
      const name = decodeURIComponent(kv.split("=")[0].replace(/\+/g, " "));
      if (!known.has(name)) {
        fail(`${what}: query parameter ${name} not documented`, ex.query);
        ok = false;
      }
    }
    const reqBytes = bodyBytes(ex.request_body, ex.request_encoding);
    if (reqBytes.length > 0) {
      if (!op.requestBody) {
        fail(`${what}: accepted a body the operation does not describe`, reqBytes.toString("utf8").slice(0, 200));
        ok = false;
      } else if (!checkBody(op.requestBody.content, `${opPtr}/requestBody`, ex.request_type,
        reqBytes, `${what} request`)) ok = false;
    } else if (op.requestBody && op.requestBody.required) {
      fail(`${what}: accepted no body where one is required`, "");
      ok = false;
    }
  }
  if (resp.content) {
    if (!checkBody(resp.content, `${opPtr}/responses/${ex.status}`, ex.response_type, resBytes,
      what)) ok = false;
  } else if (resBytes.length > 0) {
    fail(`${what}: a body where none is documented`, "");
    ok = false;
  }
  if (!ok) current.ok = false;
}

// The XML bodies, one xmllint per XSD and batch.
for (const [xsd, jobs] of xmlJobs) {
  for (let i = 0; i < jobs.length; i += 200) {
    const batch = jobs.slice(i, i + 200);
    let out = "";
    try {
      execFileSync("xmllint", ["--noout", "--nonet", "--schema", xsd, ...batch.map((j) => j.file)],
        { stdio: ["ignore", "pipe", "pipe"], maxBuffer: 64 << 20 });
    } catch (e) {
      out = (e.stderr || "").toString();
    }
    for (const j of batch) {
      const bad = out.split("\n").filter((l) => l.startsWith(j.file + ":") ||
        l === `${j.file} fails to validate`);
      const root = rootElement(fs.readFileSync(j.file));
      if (bad.length > 0) {
        fail(`${j.what}: XML does not validate against ${path.basename(xsd)}`,
          bad[0].slice(j.file.length) + " :: " + fs.readFileSync(j.file, "utf8").slice(0, 200));
        if (j.ex) j.ex.ok = false;
      } else if (j.element && root !== j.element) {
        fail(`${j.what}: XML root <${root}>, documented <${j.element}>`, "");
        if (j.ex) j.ex.ok = false;
      }
    }
  }
}
fs.rmSync(tmp, { recursive: true, force: true });
// One check per exchange (and one for the schema file above); the failure
// lines may count an exchange's several faults.
for (const c of checked) if (c.ok) passed++;
const xmlCount = [...xmlJobs.values()].reduce((n, j) => n + j.length, 0);

for (const [reason, f] of [...failures].sort((a, b) => b[1].count - a[1].count)) {
  console.log(`FAIL (${f.count}x) ${reason}${f.example ? "\n    e.g. " + f.example.replace(/\n/g, " ") : ""}`);
}
const bad = checked.filter((c) => !c.ok).length + otherFailed;
console.log(`# ${lines.length} exchanges (${xmlCount} XML bodies through xmllint), ${skipped} not ` +
  `the API (pages), ${compiled.size} JSON schemas used, ${failed} faults`);
const unexercised = Object.entries(doc.paths).flatMap(([tpl, ops]) =>
  Object.keys(ops).filter((m) => METHODS.includes(m)).map((m) => `${m.toUpperCase()} ${tpl}`))
  .filter((o) => !exercised.has(o));
console.log(`# operations the suite did not call (${unexercised.length}): ${unexercised.join(", ") || "none"}`);
console.log(`contract: ${passed} passed, ${bad} failed`);
process.exitCode = bad > 0 ? 1 : 0;
