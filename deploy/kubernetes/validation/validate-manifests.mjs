#!/usr/bin/env node
// Checks Kubernetes manifests strictly against the API of one Kubernetes version, without a cluster: each YAML
// document becomes a TypeScript constant typed with its kind from `kubernetes-types` (types generated from that
// version's OpenAPI schema), and the TypeScript compiler rejects what the API server would: unknown fields, wrong
// types, missing required fields, an apiVersion or kind that does not exist.
//
// Usage: node validate-manifests.mjs TOOLS_DIR FILE.yaml...   (TOOLS_DIR holds node_modules, see package.json)
// Prints one line per problem ("file#document Kind/name: message  <- offending line") and a summary; exits 1 on any.
//
// Limits: the compiler reports the first problem of each object (fix it and run again for the next); custom
// resources (CRDs) have no types here and are refused; a Quantity must be written as a string ("500m", "256Mi"),
// which is how the API serialises it anyway; rules beyond the schema (a selector matching its template's labels,
// name lengths) are the deployment tests' or the API server's.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';

const [toolsDir, ...files] = process.argv.slice(2);
if (!toolsDir || files.length === 0) {
  console.error('usage: node validate-manifests.mjs TOOLS_DIR FILE.yaml...');
  process.exit(2);
}
const modules = resolve(toolsDir, 'node_modules');
const { parseAllDocuments } = createRequire(join(modules, 'noop.js'))('yaml');
const typesVersion = JSON.parse(readFileSync(join(modules, 'kubernetes-types', 'package.json'), 'utf8')).version;

// The folder of kubernetes-types that holds an API group: core for "v1", the group's first label otherwise
// (apps, batch, networking.k8s.io -> networking, rbac.authorization.k8s.io -> rbac).
const typesFolder = (group) => (group === '' ? 'core' : group === 'internal.apiserver.k8s.io' ? 'apiserverinternal' : group.split('.')[0]);

const source = [];      // the TypeScript program, one line per entry
const origin = [];      // for each line of the program: which document it came from
const imports = new Map();
const problems = [];
let checked = 0;

for (const file of files) {
  parseAllDocuments(readFileSync(file, 'utf8')).forEach((document, index) => {
    const where = `${file}#${index}`;
    if (document.errors.length > 0) {
      problems.push(`${where}: not YAML: ${document.errors[0].message}`);
      return;
    }
    const object = document.toJS();
    if (object === null || object === undefined) return; // an empty document between separators
    const name = `${where} ${object.kind}/${object.metadata?.name}`;
    const apiVersion = String(object.apiVersion ?? '');
    const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
    if (!version || typeof object.kind !== 'string') {
      problems.push(`${name}: no apiVersion or kind`);
      return;
    }
    const alias = `${typesFolder(group).replace(/\W/g, '_')}_${version}`;
    imports.set(alias, `kubernetes-types/${typesFolder(group)}/${version}`);
    const lines = `export const object${checked++}: ${alias}.${object.kind} = ${JSON.stringify(object, null, 2)};`.split('\n');
    for (const line of lines) {
      source.push(line);
      origin.push(name);
    }
  });
}

const header = [...imports].map(([alias, module]) => `import type * as ${alias} from '${module}';`);
const work = mkdtempSync(join(tmpdir(), 'manifests-'));
try {
  writeFileSync(join(work, 'manifests.ts'), [...header, ...source].join('\n') + '\n');
  writeFileSync(join(work, 'tsconfig.json'), JSON.stringify({
    compilerOptions: {
      strict: true, noEmit: true, skipLibCheck: true, types: [],
      module: 'preserve', moduleResolution: 'bundler',
      paths: { 'kubernetes-types/*': [join(modules, 'kubernetes-types', '*')] },
    },
    files: ['manifests.ts'],
  }));
  const tsc = spawnSync(join(modules, '.bin', 'tsc'), ['-p', work, '--pretty', 'false'], { encoding: 'utf8' });
  if (tsc.error) throw tsc.error;
  for (const line of `${tsc.stdout}${tsc.stderr}`.split('\n').filter(Boolean)) {
    const at = line.match(/manifests\.ts\((\d+),\d+\): error TS\d+: (.*)$/);
    if (!at) {
      // A message's detail comes on the lines after it, indented: it belongs to the problem above.
      if (/^\s/.test(line) && problems.length > 0) problems[problems.length - 1] += ` / ${line.trim()}`;
      else problems.push(line);
      continue;
    }
    const index = Number(at[1]) - 1 - header.length;
    problems.push(`${origin[index] ?? '?'}: ${at[2]}  <- ${(source[index] ?? '').trim()}`);
  }
  if (tsc.status !== 0 && problems.length === 0) problems.push(`tsc exited with ${tsc.status}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}

for (const problem of problems) console.error(problem);
console.log(`Kubernetes ${typesVersion.replace(/\.\d+$/, '')} API (kubernetes-types ${typesVersion}): ${checked} objects checked, ${problems.length} problems`);
process.exit(problems.length === 0 ? 0 : 1);
