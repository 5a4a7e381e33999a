import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { generateDefinition } from '../../bench/validate.bench';
import { compileDefinition } from '../compile';
import { canonicalJson, sha256Hex } from '../hash';

/**
 * Compiling must not change the plan of a definition that compiled before: a plan's hash is its identity
 * (runs are pinned to it, deployed triggers compare it), and its positions are what run-time errors show.
 * This records, for the definitions in the repository, the hash and a digest of the whole plan (positions
 * included). A change to the compiler that changes one of them is a change of the language: if it is
 * deliberate (an example was edited, the plan format changed), rewrite the record with
 * `UPDATE_PLAN_HASHES=1 npx jest definitions/compiler/plans-unchanged.test.ts` and say why in the commit.
 */
const ROOT = path.join(__dirname, '..', '..');
const RECORD = path.join(__dirname, 'plan-hashes.json');

const FILES = [
  ...[
    'call-access-grant',
    'call-summary-to-slack',
    'crm-backfill',
    'crm-meeting',
    'data-privacy-erasure',
    'list-users',
    'new-user-engage-flow',
    'post-call-to-crm',
    'scorecards-digest',
    'weekly-activity-report',
  ].map((name) => `definitions/examples/${name}.yaml`),
  'bench/interpreter/twenty-steps.yaml',
  'test/test-mode/call-followup.yaml',
  'test/test-mode/users-digest.yaml',
];

function digest(file: string, text: string): { hash: string; plan: string } {
  const result = compileDefinition(text, file, { location: path.join(ROOT, file) });
  if (!result.ok) throw new Error(`${file} does not compile: ${JSON.stringify(result.problems)}`);
  return { hash: result.plan.hash, plan: sha256Hex(canonicalJson(result.plan)) };
}

function current(): Record<string, { hash: string; plan: string }> {
  const record: Record<string, { hash: string; plan: string }> = {};
  for (const file of FILES) record[file] = digest(file, readFileSync(path.join(ROOT, file), 'utf8'));
  record['bench: 200 generated steps'] = digest('bench.yaml', generateDefinition(200));
  return record;
}

describe('plans of existing definitions', () => {
  it('compile to the same hash and the same plan, positions included', () => {
    const now = current();
    if (process.env['UPDATE_PLAN_HASHES'] === '1') writeFileSync(RECORD, `${JSON.stringify(now, null, 2)}\n`);
    const recorded = JSON.parse(readFileSync(RECORD, 'utf8')) as unknown;
    expect(now).toEqual(recorded);
  });
});
