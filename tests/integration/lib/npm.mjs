// The npm packages tests run against live in tests/node (scripts/install-deps.sh installs
// them with `npm ci`); this imports one of them from any test folder.
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const testsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const requireFromNodeTests = createRequire(path.join(testsDir, 'node', 'package.json'));

export async function importTestPackage(name) {
  return import(pathToFileURL(requireFromNodeTests.resolve(name)).href);
}
