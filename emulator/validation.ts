/**
 * Checks a request's query and form parameters against its OpenAPI operation: every parameter declared,
 * typed values parseable (integers, booleans, JSON), then the coerced values against the schema with ajv
 * (required, enums, patterns, formats, bounds).
 */
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { type Schema, type SpecOperation, toJsonSchema } from './specs';

/** `json`: a JSON-typed value did not parse (products may answer it with their own error code). */
export type ProblemKind = 'parameter' | 'json';

export interface Problem {
  kind: ProblemKind;
  message: string;
}

export interface ValidatedParameters {
  /** Query and form parameters, coerced to their declared types (JSON values parsed). */
  input: Record<string, unknown>;
  problems: Problem[];
}

const RFC_2822 =
  /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}$/;

/** An ajv that knows Twilio's formats; shared with the tests that check response shapes. */
export function createAjv(): Ajv {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv, ['date-time', 'date', 'int32', 'int64']);
  ajv.addFormat('date-time-rfc-2822', RFC_2822);
  // Twilio's `uri` fields include relative ones (`first_page_uri`), and an empty value clears a URL setting
  // (a PostWebhookUrl, an SmsUrl); its http-method values vary in case.
  ajv.addFormat('uri', /^(|https?:\/\/[^\s]+|\/[^\s]*)$/);
  ajv.addFormat('http-method', /^(GET|POST|PUT|DELETE|HEAD|PATCH)$/i);
  ajv.addFormat('phone-number', /^\S+$/); // E.164, or a channel address such as whatsapp:+1…
  ajv.addFormat('currency', /^[A-Z]{3}$/i);
  for (const opaque of [
    'iso-country-code',
    'endpoint',
    'twiml',
    'uri-map',
    'phone-number-capabilities',
    'ice-server',
  ]) {
    ajv.addFormat(opaque, true);
  }
  return ajv;
}

const ajv = createAjv();

interface ParameterSet {
  where: 'query' | 'form';
  properties: Record<string, Schema>;
  validate: ValidateFunction;
}

const compiled = new WeakMap<SpecOperation, ParameterSet[]>();

function parameterSets(op: SpecOperation): ParameterSet[] {
  let sets = compiled.get(op);
  if (sets) return sets;
  const queryParams = (op.operation.parameters ?? []).filter((p) => p.in === 'query');
  const querySchema = toJsonSchema(
    {
      type: 'object',
      properties: Object.fromEntries(queryParams.map((p) => [p.name, p.schema])),
      required: queryParams.filter((p) => p.required).map((p) => p.name),
    },
    op,
  );
  const formSchema = toJsonSchema(
    op.operation.requestBody?.content['application/x-www-form-urlencoded']?.schema ?? { type: 'object' },
    op,
  );
  sets = [
    {
      where: 'query',
      properties: (querySchema.properties ?? {}) as Record<string, Schema>,
      validate: ajv.compile(querySchema),
    },
    {
      where: 'form',
      properties: (formSchema.properties ?? {}) as Record<string, Schema>,
      validate: ajv.compile(formSchema),
    },
  ];
  compiled.set(op, sets);
  return sets;
}

export function validateParameters(
  op: SpecOperation,
  values: { query: URLSearchParams; form: URLSearchParams },
): ValidatedParameters {
  const problems: Problem[] = [];
  const input: Record<string, unknown> = {};
  for (const set of parameterSets(op)) {
    const { coerced, rejected } = coerceAll(set, values[set.where], problems);
    if (!set.validate(coerced)) {
      for (const error of set.validate.errors ?? []) {
        const name = parameterName(error);
        if (!rejected.has(name)) problems.push({ kind: 'parameter', message: schemaMessage(set.where, name, error) });
      }
    }
    Object.assign(input, coerced);
  }
  return { input, problems };
}

/** Parses each parameter to its declared type; those that cannot be are reported once and left out. */
function coerceAll(set: ParameterSet, values: URLSearchParams, problems: Problem[]) {
  const coerced: Record<string, unknown> = {};
  const rejected = new Set<string>();
  const reject = (name: string, problem: string, kind: ProblemKind = 'parameter') => {
    problems.push({ kind, message: `${set.where} parameter ${name} ${problem}` });
    rejected.add(name);
  };
  for (const name of new Set(values.keys())) {
    const schema = set.properties[name];
    if (!schema) {
      reject(name, 'is not declared');
      continue;
    }
    const isArray = baseType(schema) === 'array';
    const raw = values.getAll(name);
    if (!isArray && raw.length > 1) {
      reject(name, 'is repeated but is not an array');
      continue;
    }
    const results = raw.map((value) => coerce(value, isArray ? ((schema.items ?? {}) as Schema) : schema));
    const failure = results.find((result): result is Failure => 'problem' in result);
    if (failure) {
      reject(name, failure.problem, failure.kind);
      continue;
    }
    const parsed = results.map((result) => (result as Parsed).value);
    coerced[name] = isArray ? parsed : parsed[0];
  }
  return { coerced, rejected };
}

function baseType(schema: Schema): string | undefined {
  const type: unknown = schema.type;
  if (Array.isArray(type)) return type.find((t): t is string => typeof t === 'string' && t !== 'null');
  return typeof type === 'string' ? type : undefined;
}

interface Parsed {
  value: unknown;
}

interface Failure {
  problem: string;
  kind: ProblemKind;
}

function coerce(raw: string, schema: Schema): Parsed | Failure {
  const invalid = (what: string): Failure => ({ problem: `is not ${what}: ${JSON.stringify(raw)}`, kind: 'parameter' });
  switch (baseType(schema)) {
    case 'integer':
      return /^-?\d+$/.test(raw) ? { value: Number(raw) } : invalid('an integer');
    case 'number':
      return raw.trim() !== '' && Number.isFinite(Number(raw)) ? { value: Number(raw) } : invalid('a number');
    case 'boolean':
      return raw === 'true' || raw === 'false' ? { value: raw === 'true' } : invalid('a boolean (true or false)');
    case 'string':
      return { value: raw };
    default: // untyped or object: a JSON value (Sync `Data`, Flex `Channel`/`Routing`)
      try {
        return { value: JSON.parse(raw) };
      } catch {
        return { problem: 'is not valid JSON', kind: 'json' };
      }
  }
}

function parameterName(error: ErrorObject): string {
  return error.keyword === 'required'
    ? String(error.params.missingProperty)
    : error.instancePath.replace(/^\//, '').replace(/\/.*$/, '');
}

function schemaMessage(where: string, name: string, error: ErrorObject): string {
  if (error.keyword === 'required') return `missing required ${where} parameter ${name}`;
  const allowed = error.keyword === 'enum' ? ` (${(error.params.allowedValues as unknown[]).join(', ')})` : '';
  return `${where} parameter ${name} ${error.message}${allowed}`;
}
