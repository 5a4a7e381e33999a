import { z } from 'zod';
import type { $ZodIssue } from 'zod/v4/core';
import { closest, DEFINITION_CODES as CODES } from '../problems';
import { renamedKeys } from './renames';
import { dotted, isRecord, type Path } from './raw';
import type { Reporter } from './report';

/**
 * Shape checks that recover. A construct whose shape is wrong somewhere (an unknown key, a bad value)
 * still yields every part that is right, so the checks that follow (expressions, references, nested
 * steps) run on them in the same pass: one validation shows every problem, each once. Every unknown key
 * and every invalid choice (a trigger kind, an enum value) gets a did-you-mean from the schema itself.
 */

/** A parsed value whose wrong parts are left out: everything may be missing, at any depth. */
export type Recovered<T> = T extends readonly (infer E)[]
  ? Array<Recovered<E> | undefined>
  : T extends object
    ? { [K in keyof T]?: Recovered<T[K]> }
    : T;

export type RecoveredResult<T> = { ok: true; value: T } | { ok: false; value: Recovered<T> | undefined };

/** The codes shape problems are reported with (definitions by default; fixtures files have their own). */
export interface ShapeCodes {
  unknownKey: string;
  missingKey: string;
  invalidValue: string;
}

const DEFINITION_SHAPE_CODES: ShapeCodes = {
  unknownKey: CODES.unknownKey,
  missingKey: CODES.missingKey,
  invalidValue: CODES.invalidValue,
};

export interface ShapeOptions {
  codes?: ShapeCodes;
  /** Where the schema of this kind of file is documented, for hints. */
  reference?: string;
  /** Keys whose absence another check reports (a forEach without maxItems is DEF_UNBOUNDED_LOOP). */
  ignoreMissing?: ReadonlySet<string>;
  /** Reports a discriminator value no variant has (an unknown trigger kind). */
  unknownVariant?: (value: unknown, known: string[], path: Path) => void;
}

interface ZodDef {
  type: string;
  shape?: Record<string, z.ZodType>;
  catchall?: z.ZodType;
  innerType?: z.ZodType;
  element?: z.ZodType;
  keyType?: z.ZodType;
  valueType?: z.ZodType;
  options?: z.ZodType[];
  discriminator?: string;
  values?: unknown[];
  entries?: Record<string, unknown>;
  in?: z.ZodType;
}

/**
 * Unknown keys of `raw` standing for keys of `shape` it lacks (`than:` for `then:`), registered with the
 * reporter: target -> written. Their value is then checked as that key's, and problems inside it point
 * where it is written, so one misspelt key is one problem, not also a missing key and every reference into
 * what it holds.
 */
export function registerAliases(
  reporter: Reporter,
  raw: Record<string, unknown>,
  shape: Record<string, z.ZodType>,
  path: Path,
): Map<string, string> {
  const unknown = Object.keys(raw).filter((key) => !Object.hasOwn(shape, key));
  if (unknown.length === 0) return new Map();
  const absent = Object.keys(shape).filter((key) => raw[key] === undefined);
  const required = absent.filter((key) => !shape[key]?.safeParse(undefined).success);
  const aliases = new Map<string, string>();
  for (const [written, target] of renamedKeys(unknown, absent, required)) {
    aliases.set(target, written);
    reporter.alias([...path, target], written);
  }
  return aliases;
}

export function defOf(schema: z.ZodType): ZodDef {
  return (schema as unknown as { _zod: { def: ZodDef } })._zod.def;
}

/** Checks `raw` against `schema`, reporting every problem once, and returns what is right in it. */
export function recover<S extends z.ZodType>(
  reporter: Reporter,
  schema: S,
  raw: unknown,
  path: Path,
  options: ShapeOptions = {},
): RecoveredResult<z.output<S>> {
  const walker = new Walker(reporter, options);
  const result = walker.walk(schema, raw, path, true);
  return result.ok
    ? { ok: true, value: result.value as z.output<S> }
    : { ok: false, value: result.value as Recovered<z.output<S>> | undefined };
}

interface Walked {
  ok: boolean;
  value: unknown;
}

class Walker {
  private readonly codes: ShapeCodes;
  private readonly reference: string;

  constructor(
    private readonly reporter: Reporter,
    private readonly options: ShapeOptions,
  ) {
    this.codes = options.codes ?? DEFINITION_SHAPE_CODES;
    this.reference = options.reference ?? 'definitions/schema/definition.schema.json';
  }

  walk(schema: z.ZodType, raw: unknown, path: Path, top = false): Walked {
    const parsed = schema.safeParse(raw);
    if (parsed.success) return { ok: true, value: parsed.data };
    const def = defOf(schema);
    switch (def.type) {
      case 'optional':
      case 'default':
      case 'prefault':
        if (raw !== undefined && def.innerType) return this.walk(def.innerType, raw, path, top);
        break;
      case 'nullable':
        if (raw !== null && def.innerType) return this.walk(def.innerType, raw, path, top);
        break;
      case 'object':
        if (isRecord(raw)) return this.object(def, raw, path, parsed.error.issues, top);
        break;
      case 'record':
        if (isRecord(raw)) return this.record(def, raw, path, parsed.error.issues);
        break;
      case 'array':
        if (Array.isArray(raw)) return this.array(def, raw, path, parsed.error.issues);
        break;
      case 'pipe':
        // A transformed value (a version, a duration): what is wrong is what goes in.
        if (def.in) {
          const input = this.walk(def.in, raw, path, top);
          if (!input.ok) return { ok: false, value: undefined };
        }
        break;
      case 'union': {
        if (def.discriminator !== undefined && isRecord(raw))
          return this.variant(def, def.discriminator, raw, path, parsed.error.issues);
        // A choice between a name and an object (a retry policy): the value's own kind picks the option.
        const candidates = (def.options ?? []).filter((option) => sameKind(option, raw));
        if (candidates.length === 1 && candidates[0]) return this.walk(candidates[0], raw, path, top);
        break;
      }
      default:
        break;
    }
    this.issues(parsed.error.issues, path);
    return { ok: false, value: undefined };
  }

  private object(
    def: ZodDef,
    raw: Record<string, unknown>,
    path: Path,
    issues: $ZodIssue[],
    top: boolean,
  ): Walked {
    const shape = def.shape ?? {};
    const known = Object.keys(shape);
    const strict = def.catchall !== undefined && defOf(def.catchall).type === 'never';
    const aliases = strict ? registerAliases(this.reporter, raw, shape, path) : new Map<string, string>();
    const value: Record<string, unknown> = {};
    const misfits = new Map<string, string>();
    let ok = true;
    for (const [key, field] of Object.entries(shape)) {
      const written = aliases.get(key);
      const given = raw[key] ?? (written === undefined ? undefined : raw[written]);
      if (given === undefined) {
        const absent = field.safeParse(undefined);
        if (absent.success) {
          if (absent.data !== undefined) value[key] = absent.data;
        } else {
          ok = false;
          if (!(top && this.options.ignoreMissing?.has(key)))
            this.reporter.report(this.codes.missingKey, `missing "${key}"`, path, `Add "${key}".`);
        }
        continue;
      }
      if (written !== undefined && raw[key] === undefined) {
        // A misspelt key: reported once, as unknown; its value only when it fits (else the hint says why).
        const fits = field.safeParse(given);
        if (fits.success) value[key] = fits.data;
        else misfits.set(written, descriptionOf(field) ?? fits.error.issues[0]?.message ?? 'invalid');
        ok = false;
        continue;
      }
      const child = this.walk(field, given, [...path, key]);
      if (child.value !== undefined) value[key] = child.value;
      ok &&= child.ok;
    }
    for (const key of Object.keys(raw)) {
      if (Object.hasOwn(shape, key)) continue;
      if (!strict) {
        if (def.catchall) value[key] = raw[key];
        continue;
      }
      ok = false;
      const target = [...aliases].find(([, written]) => written === key)?.[0];
      this.unknownKey(key, known, path, target, misfits.get(key));
    }
    if (ok) {
      // Every part is right, the whole is not (a refinement across fields): report the whole.
      this.issues(issues, path);
      ok = false;
    }
    return { ok, value };
  }

  private record(def: ZodDef, raw: Record<string, unknown>, path: Path, issues: $ZodIssue[]): Walked {
    const value: Record<string, unknown> = {};
    let ok = true;
    for (const [key, item] of Object.entries(raw)) {
      const keyResult = def.keyType?.safeParse(key);
      if (keyResult && !keyResult.success) {
        ok = false;
        this.reporter.report(
          this.codes.invalidValue,
          `${dotted([...path, key])}: "${key}" is not a valid name: ${keyResult.error.issues[0]?.message ?? 'invalid'}`,
          [...path, key],
          'Names are identifiers: a letter or _, then letters, digits or _.',
          true,
        );
      }
      const child = def.valueType
        ? this.walk(def.valueType, item, [...path, key])
        : { ok: true, value: item };
      if (child.value !== undefined && (!keyResult || keyResult.success)) value[key] = child.value;
      ok &&= child.ok;
    }
    if (ok) {
      this.issues(issues, path);
      ok = false;
    }
    return { ok, value };
  }

  private array(def: ZodDef, raw: unknown[], path: Path, issues: $ZodIssue[]): Walked {
    let ok = true;
    const value = raw.map((item, index) => {
      if (!def.element) return item;
      const child = this.walk(def.element, item, [...path, index]);
      ok &&= child.ok;
      return child.value;
    });
    if (ok) {
      this.issues(issues, path);
      ok = false;
    }
    return { ok, value };
  }

  /** A discriminated union (trigger kinds): the discriminator picks the variant, checked like an object. */
  private variant(
    def: ZodDef,
    discriminator: string,
    raw: Record<string, unknown>,
    path: Path,
    issues: $ZodIssue[],
  ): Walked {
    const variants = (def.options ?? []).map((option) => ({
      option,
      values: defOf(defOf(option).shape?.[discriminator] ?? option).values ?? [],
    }));
    // `type: schedule` for `kind: schedule`: the misspelt discriminator still picks the variant.
    const written =
      raw[discriminator] === undefined
        ? registerAliases(this.reporter, raw, { [discriminator]: z.string() }, path).get(discriminator)
        : undefined;
    const chosen = raw[written ?? discriminator];
    const match = variants.find((variant) => variant.values.includes(chosen));
    if (match) return this.walk(match.option, raw, path);
    const known = variants.flatMap((variant) => variant.values.map(String));
    if (chosen === undefined) {
      this.reporter.report(
        this.codes.missingKey,
        `missing "${discriminator}"`,
        path,
        `Add "${discriminator}": one of ${known.join(', ')}.`,
      );
    } else if (this.options.unknownVariant) {
      this.options.unknownVariant(chosen, known, [...path, discriminator]);
    } else {
      this.issues(issues, path);
    }
    return { ok: false, value: undefined };
  }

  private unknownKey(key: string, known: string[], path: Path, target?: string, misfit?: string): void {
    const suggestion = target ?? closest(key, known);
    if (suggestion !== undefined && misfit !== undefined) {
      this.reporter.report(
        this.codes.unknownKey,
        `unknown key "${key}"`,
        [...path, key],
        `Did you mean "${suggestion}"? Its value does not fit it either: ${suggestion} is ${misfit.charAt(0).toLowerCase()}${misfit.slice(1)}`,
        true,
      );
      return;
    }
    this.reporter.report(
      this.codes.unknownKey,
      `unknown key "${key}"`,
      [...path, key],
      suggestion
        ? `Did you mean "${suggestion}"?`
        : `Remove it; the keys here are: ${known.join(', ')} (${this.reference}).`,
      true,
    );
  }

  /** Issues of a value that is wrong as a whole: invalid choices get a did-you-mean, wrong types say what fits. */
  private issues(issues: $ZodIssue[], path: Path): void {
    for (const issue of issues) {
      const at = [...path, ...issue.path.map((key) => (typeof key === 'symbol' ? String(key) : key))];
      const given = this.reporter.rawAt(at);
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys) this.unknownKey(key, [], at);
      } else if (at.length > path.length && given === undefined) {
        this.reporter.report(
          this.codes.missingKey,
          `missing "${String(at.at(-1))}"`,
          at.slice(0, -1),
          `Add "${String(at.at(-1))}".`,
        );
      } else if (issue.code === 'invalid_value' && issue.values.length > 1) {
        const options = issue.values.map(String);
        const suggestion = typeof given === 'string' ? closest(given, options) : undefined;
        this.reporter.report(
          this.codes.invalidValue,
          `${dotted(at) || 'value'}: ${JSON.stringify(given)} is not one of ${options.join(', ')}`,
          at,
          suggestion ? `Did you mean "${suggestion}"?` : `Write one of: ${options.join(', ')}.`,
        );
      } else if (issue.code === 'invalid_type' && issue.message.startsWith('Invalid input')) {
        this.reporter.report(
          this.codes.invalidValue,
          `${dotted(at) || 'value'}: expected ${typeName(issue.expected)}, got ${kindOf(given)}`,
          at,
          `Write ${typeName(issue.expected)} here (${this.reference}).`,
        );
      } else {
        this.reporter.report(
          this.codes.invalidValue,
          `${dotted(at) || 'value'}: ${issue.message}`,
          at,
          // The language's own messages say what fits ("a duration like ..."): the fix is to write that.
          /^an? /.test(issue.message) ? `Write ${issue.message}.` : `See ${this.reference}.`,
        );
      }
    }
  }
}

/** What the schema says a field is (its description), through optional and default wrappers. */
function descriptionOf(schema: z.ZodType): string | undefined {
  for (let current: z.ZodType | undefined = schema; current; current = defOf(current).innerType)
    if (current.description) return current.description;
  return undefined;
}

/** How a schema type reads in a message, in YAML's words. */
function typeName(type: string): string {
  switch (type) {
    case 'object':
    case 'record':
    case 'map':
      return 'a mapping (key: value)';
    case 'array':
      return 'a list';
    case 'string':
      return 'a text';
    case 'boolean':
      return 'true or false';
    case 'int':
      return 'an integer';
    default:
      return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
  }
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `the text ${JSON.stringify(value)}`;
  return `${typeof value} ${JSON.stringify(value)}`;
}

/** Whether a union option is of the same JSON kind as the value (string, number, object, ...). */
function sameKind(option: z.ZodType, raw: unknown): boolean {
  const type = defOf(option).type;
  switch (type) {
    case 'string':
    case 'enum':
      return typeof raw === 'string';
    case 'number':
      return typeof raw === 'number';
    case 'boolean':
      return typeof raw === 'boolean';
    case 'object':
    case 'record':
      return isRecord(raw);
    case 'array':
      return Array.isArray(raw);
    default:
      return false;
  }
}
