// The W3C Web Annotation Data Model's own tests, offline: each annotation,
// page and collection that /annotations serves is validated with the JSON
// Schemas of the W3C annotation-model test suite (w3c-annotation-model/,
// vendored unchanged: see its README.md), every assertion of its "MUST"
// tests (annotationMusts.test, pageMusts.test, collectionMusts.test), with
// ajv; and each page is expanded with jsonld.js against the vendored
// anno.jsonld context (no network: any other context is refused), after
// which every node's @id must be an absolute IRI.

import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import jsonld from 'jsonld';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), 'w3c-annotation-model');
const CONTEXT_URL = 'http://www.w3.org/ns/anno.jsonld';
const read = (path) => JSON.parse(readFileSync(join(ROOT, path), 'utf8'));

function walkFiles(dir) {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const path = join(dir, name);
    return statSync(join(ROOT, path)).isDirectory() ? walkFiles(path) : [path];
  });
}

// One ajv for every schema: the definitions are found by their ids
// ("id.json", ...), as the assertions' $refs name them.
const ajv = new Ajv04({ strict: false, allErrors: true });
addFormats(ajv);
for (const path of walkFiles('definitions')) ajv.addSchema(read(path));

// The assertions of a .test file, compiled: [{path, expected, validate}].
function assertions(testPath) {
  return read(testPath).assertions.map((path) => {
    const schema = read(path);
    // Assertion ids are bare file names; several share one: key by path.
    const { id, ...rest } = schema;
    return { path, expected: schema.expectedResult ?? 'valid', validate: ajv.compile({ ...rest, id: `assertion-${path.replaceAll("/", "-")}` }) };
  });
}

const suites = {
  annotation: assertions('annotations/annotationMusts.test'),
  page: assertions('collections/pages/pageMusts.test'),
  collection: assertions('collections/collectionMusts.test'),
};

// Returns the failed assertions of doc against a suite, as messages.
export function w3cAssert(kind, doc) {
  const failed = [];
  for (const a of suites[kind]) {
    const valid = a.validate(doc);
    if ((a.expected === 'valid') !== valid) {
      failed.push(`W3C ${kind} test ${a.path}: ${ajv.errorsText(a.validate.errors)}`);
    }
  }
  return failed;
}

const context = JSON.parse(readFileSync(join(ROOT, 'anno.jsonld'), 'utf8'));
const documentLoader = async (url) => {
  if (url !== CONTEXT_URL) throw new Error(`no network in tests: ${url}`);
  return { contextUrl: null, documentUrl: url, document: context };
};

const ABSOLUTE = /^[A-Za-z][A-Za-z0-9+.-]*:/;

// Collects every @id (and @type) of an expanded document.
function ids(node, out = []) {
  if (Array.isArray(node)) node.forEach((n) => ids(n, out));
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === '@id') out.push(v);
      else if (k === '@type') out.push(...[].concat(v));
      else ids(v, out);
    }
  }
  return out;
}

// Expands doc (JSON-LD) offline; returns messages for every @id or @type
// that is not an absolute IRI, and the number of ids seen.
export async function w3cExpand(doc) {
  let expanded;
  try {
    expanded = await jsonld.expand(doc, { documentLoader, safe: true });
  } catch (err) {
    return { failed: [`JSON-LD expansion fails: ${err.message}`], seen: 0 };
  }
  const all = ids(expanded);
  return { failed: all.filter((id) => !ABSOLUTE.test(id)).map((id) => `the IRI ${id} is not absolute`), seen: all.length };
}
