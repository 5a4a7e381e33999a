import { closest } from '../problems';

/**
 * Keys an author wrote for keys of ours: a near spelling (`than` for `then`), a key from another tool
 * (`on` for `triggers`, `inputs` for `with`), or the only unknown key where the only required key is
 * missing (`userId` where `id` is required). Each such key is one mistake, reported once as unknown, with
 * the key it stands for; the key it stands for is then not also reported missing.
 */
const SYNONYMS: Record<string, string> = {
  on: 'triggers',
  inputs: 'with',
  input: 'with',
  params: 'with',
  parameters: 'with',
  args: 'with',
  arguments: 'with',
  attempts: 'maximumAttempts',
  maxAttempts: 'maximumAttempts',
  maxRetries: 'maximumAttempts',
  retries: 'maximumAttempts',
  case: 'when',
  condition: 'when',
  otherwise: 'default',
  do: 'steps',
  tasks: 'steps',
  except: 'catch',
  rescue: 'catch',
  ensure: 'finally',
  always: 'finally',
  result: 'output',
  returns: 'output',
  type: 'kind',
  schedule: 'cron',
  uri: 'url',
  endpoint: 'url',
  verb: 'method',
  data: 'body',
  json: 'body',
};

/** Unknown keys paired with the absent key each stands for: written -> target. */
export function renamedKeys(
  unknown: readonly string[],
  absent: readonly string[],
  required: readonly string[],
): Map<string, string> {
  const renamed = new Map<string, string>();
  const taken = new Set<string>();
  for (const key of unknown) {
    const open = absent.filter((candidate) => !taken.has(candidate));
    const target = closest(key, open) ?? (open.includes(SYNONYMS[key] ?? '') ? SYNONYMS[key] : undefined);
    if (target === undefined) continue;
    renamed.set(key, target);
    taken.add(target);
  }
  const leftUnknown = unknown.filter((key) => !renamed.has(key));
  const leftRequired = required.filter((key) => !taken.has(key));
  const [onlyUnknown] = leftUnknown;
  const [onlyRequired] = leftRequired;
  if (leftUnknown.length === 1 && leftRequired.length === 1 && onlyUnknown && onlyRequired)
    renamed.set(onlyUnknown, onlyRequired);
  return renamed;
}
