import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { type $ZodIssue } from 'zod/v4/core';
import { GongflowError, type ProblemDetail } from '../core/errors';
import { parseSource, type ParsedSource } from '../core/yaml-source';
import { CONFIG_FILE_VARIABLE, connectionSecretVariable, ENV_OVERRIDES } from './environment';
import { GongflowConfigSchema, type GongflowConfig } from './schema';

export interface LoadedConfig {
  config: GongflowConfig;
  /** The file the configuration came from, or undefined when only defaults and the environment apply. */
  file: string | undefined;
  /** Absolute data folder (dataDir resolved against the config file's folder or the working directory). */
  dataDir: string;
}

export interface LoadConfigOptions {
  file?: string;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

/** Reads temporal.yaml (if any), applies environment overrides and validates everything at once. */
export function loadConfig(options: LoadConfigOptions = {}): LoadedConfig {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const explicit = options.file ?? env[CONFIG_FILE_VARIABLE];
  const file = explicit ? path.resolve(cwd, explicit) : path.join(cwd, 'temporal.yaml');
  if (explicit && !existsSync(file)) {
    throw new GongflowError('CONFIG_FILE_NOT_FOUND', `Configuration file ${file} does not exist.`, {
      hint: `Create it, or unset ${CONFIG_FILE_VARIABLE} to use temporal.yaml in the working directory.`,
    });
  }
  const source = existsSync(file) ? parseSource(readFileSync(file, 'utf8'), file) : undefined;
  if (source && source.syntaxErrors.length > 0) {
    throw new GongflowError('CONFIG_SYNTAX', `${path.basename(file)} is not valid YAML.`, {
      problems: source.syntaxErrors.map((error) => ({
        code: 'CONFIG_SYNTAX',
        message: error.message,
        file,
        line: error.line,
        column: error.column,
      })),
    });
  }
  const raw = source?.value ?? {};
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new GongflowError(
      'CONFIG_NOT_A_MAPPING',
      `${path.basename(file)} must be a YAML mapping of settings.`,
      {
        problems: [
          {
            code: 'CONFIG_NOT_A_MAPPING',
            message: 'expected a mapping at the top level',
            ...source?.locate([]),
          },
        ],
      },
    );
  }
  const withEnv = applyEnvironment(structuredClone(raw) as Record<string, unknown>, env);
  const parsed = GongflowConfigSchema.safeParse(withEnv);
  if (!parsed.success) {
    throw new GongflowError(
      'CONFIG_INVALID',
      `${source ? path.basename(file) : 'The configuration'} has ${parsed.error.issues.length} problem(s).`,
      {
        problems: parsed.error.issues.map((issue) => issueToProblem(issue, source)),
      },
    );
  }
  const config = parsed.data;
  const missing = missingSecrets(config, env, source);
  if (missing.length > 0) {
    throw new GongflowError('CONFIG_MISSING_SECRET', `${missing.length} secret(s) are missing.`, {
      problems: missing,
    });
  }
  const baseDir = source ? path.dirname(file) : cwd;
  return { config, file: source ? file : undefined, dataDir: path.resolve(baseDir, config.dataDir) };
}

function applyEnvironment(raw: Record<string, unknown>, env: NodeJS.ProcessEnv): Record<string, unknown> {
  for (const override of ENV_OVERRIDES) {
    const value = env[override.variable];
    if (value === undefined || value === '') continue;
    let target = raw;
    for (const key of override.path.slice(0, -1)) {
      const next = target[key];
      if (typeof next !== 'object' || next === null) target[key] = {};
      target = target[key] as Record<string, unknown>;
    }
    const leaf = override.path[override.path.length - 1] as string;
    target[leaf] = override.kind === 'port' && /^\d+$/.test(value) ? Number(value) : value;
  }
  const connections = raw['connections'];
  if (typeof connections === 'object' && connections !== null) {
    for (const [id, connection] of Object.entries(connections as Record<string, unknown>)) {
      const secret = env[connectionSecretVariable(id)];
      if (secret && typeof connection === 'object' && connection !== null) {
        (connection as Record<string, unknown>)['accessKeySecret'] = secret;
      }
    }
  }
  return raw;
}

function missingSecrets(
  config: GongflowConfig,
  env: NodeJS.ProcessEnv,
  source: ParsedSource | undefined,
): ProblemDetail[] {
  const problems: ProblemDetail[] = [];
  for (const [id, connection] of Object.entries(config.connections)) {
    if (!connection.accessKeySecret) {
      const variable = connectionSecretVariable(id);
      problems.push({
        code: 'CONFIG_MISSING_SECRET',
        message: `connection "${id}" has no access key secret`,
        path: `connections.${id}.accessKeySecret`,
        hint: `Set the environment variable ${variable} (preferred) or connections.${id}.accessKeySecret.`,
        ...source?.locate(['connections', id]),
      });
    }
  }
  const app = config.gong.oauthApp;
  if (app.clientId && !app.clientSecret && !env['GONGFLOW_GONG_CLIENT_SECRET']) {
    problems.push({
      code: 'CONFIG_MISSING_SECRET',
      message: 'gong.oauthApp.clientId is set but its client secret is not',
      path: 'gong.oauthApp.clientSecret',
      hint: 'Set the environment variable GONGFLOW_GONG_CLIENT_SECRET (preferred) or gong.oauthApp.clientSecret.',
      ...source?.locate(['gong', 'oauthApp', 'clientId']),
    });
  }
  return problems;
}

function issueToProblem(issue: $ZodIssue, source: ParsedSource | undefined): ProblemDetail {
  const issuePath = issue.path.map((key) => (typeof key === 'symbol' ? String(key) : key));
  const dotted = issuePath.join('.');
  const location = source?.locate(issuePath) ?? {};
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.join(', ');
    const known = knownKeysAt(issuePath);
    return {
      code: 'CONFIG_UNKNOWN_KEY',
      message: `unknown key${issue.keys.length > 1 ? 's' : ''} ${keys}${dotted ? ` in ${dotted}` : ''}`,
      path: [dotted, issue.keys[0]].filter(Boolean).join('.'),
      hint: known.length > 0 ? `Remove it, or use one of: ${known.join(', ')}.` : 'Remove it.',
      ...(source?.locate([...issuePath, issue.keys[0] ?? ''], { atKey: true }) ?? location),
    };
  }
  return {
    code: 'CONFIG_INVALID_VALUE',
    message: `${dotted || '(top level)'}: ${issue.message}`,
    path: dotted,
    hint: 'See the configuration section of README.md for the accepted values.',
    ...location,
  };
}

function knownKeysAt(issuePath: ReadonlyArray<PropertyKey>): string[] {
  let schema: unknown = GongflowConfigSchema;
  for (const key of issuePath) {
    const shape = objectShape(schema);
    if (!shape) return [];
    schema = shape[String(key)];
  }
  return Object.keys(objectShape(schema) ?? {});
}

function objectShape(schema: unknown): Record<string, unknown> | undefined {
  // Unwrap defaults/optionals (zod v4 keeps the inner type in `def.innerType`).
  let current = schema as
    { def?: { innerType?: unknown; type?: string }; shape?: Record<string, unknown> } | undefined;
  for (let depth = 0; depth < 5 && current; depth += 1) {
    if (current.shape) return current.shape;
    current = current.def?.innerType as typeof current;
  }
  return undefined;
}
