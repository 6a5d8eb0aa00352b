// Writes openapi.json from openapi.yaml (the contract is edited as YAML),
// or with --check, fails when the committed openapi.json differs from it.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'tests/contract/package.json'));
const yaml = require('js-yaml');

const spec = yaml.load(readFileSync(join(root, 'openapi.yaml'), 'utf8'));
const text = JSON.stringify(spec, null, 2) + '\n';
const target = join(root, 'openapi.json');

if (process.argv.includes('--check')) {
  let current = '';
  try { current = readFileSync(target, 'utf8'); } catch { /* missing */ }
  if (current !== text) {
    console.error('openapi.json is out of date: run make openapi-json');
    process.exit(1);
  }
  console.log('openapi.json matches openapi.yaml');
} else {
  writeFileSync(target, text);
}
