/**
 * Twilio's vendored OpenAPI documents (./twilio-oai), indexed by product host: the source of truth for which
 * requests exist, which parameters they take and which JSON they answer.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type HttpMethod, type RouteMatch, RouteTable } from './router';

export type Schema = { [keyword: string]: unknown };

export interface OpenApiParameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  schema: Schema;
}

export interface OpenApiOperation {
  operationId: string;
  parameters?: OpenApiParameter[];
  requestBody?: { content: Record<string, { schema: Schema }> };
  responses: Record<string, { content?: Record<string, { schema: Schema }> }>;
}

interface OpenApiDocument {
  servers?: { url: string }[];
  paths: Record<string, { servers?: { url: string }[] } & Partial<Record<Lowercase<HttpMethod>, OpenApiOperation>>>;
  components: { schemas: Record<string, Schema> };
}

export interface SpecOperation {
  readonly sub: string;
  readonly method: HttpMethod;
  readonly template: string;
  readonly operation: OpenApiOperation;
  readonly document: OpenApiDocument;
}

const SPEC_DIR = join(__dirname, 'twilio-oai');
const METHODS: readonly HttpMethod[] = ['GET', 'POST', 'DELETE'];

let loaded: { documents: OpenApiDocument[]; operations: Map<string, RouteTable<SpecOperation>> } | undefined;

/** Parsed once per process, on first use (several MB of JSON). */
function specs() {
  if (loaded) return loaded;
  const documents = readdirSync(SPEC_DIR)
    .filter((file) => file.endsWith('.json'))
    .map((file) => JSON.parse(readFileSync(join(SPEC_DIR, file), 'utf8')) as OpenApiDocument);
  const bySub = new Map<string, SpecOperation[]>();
  for (const document of documents) {
    for (const [template, pathItem] of Object.entries(document.paths)) {
      const server = (pathItem.servers ?? document.servers)?.[0]?.url;
      if (!server) continue;
      const sub = new URL(server).hostname.replace(/\.twilio\.com$/, '');
      for (const method of METHODS) {
        const operation = pathItem[method.toLowerCase() as Lowercase<HttpMethod>];
        if (!operation) continue;
        const list = bySub.get(sub) ?? [];
        list.push({ sub, method, template, operation, document });
        bySub.set(sub, list);
      }
    }
  }
  const operations = new Map(
    [...bySub].map(([sub, ops]) => [
      sub,
      new RouteTable(ops.map((op) => ({ method: op.method, path: op.template, handler: op }))),
    ]),
  );
  loaded = { documents, operations };
  return loaded;
}

export function findOperation(sub: string, method: string, path: string): RouteMatch<SpecOperation> {
  return specs().operations.get(sub)?.match(method, path) ?? { kind: 'not-found' };
}

/** The names of a component schema's properties, e.g. of `sync.v1.service.sync_map`. */
export function schemaProperties(component: string): string[] {
  for (const document of specs().documents) {
    const schema = document.components.schemas[component];
    if (schema) return Object.keys(schema.properties as Schema);
  }
  throw new Error(`No schema ${component} in Twilio's specs`);
}

/**
 * Converts an OpenAPI 3.0 schema to plain JSON Schema for ajv: `$ref`s inlined, `nullable` folded into
 * `type`, annotations dropped. `requireAll` makes every declared property required (response shapes).
 */
export function toJsonSchema(schema: Schema, op: SpecOperation, requireAll = false): Schema {
  const convert = (node: Schema, refs: string[]): Schema => {
    if (typeof node.$ref === 'string') {
      const name = node.$ref.replace('#/components/schemas/', '');
      if (refs.includes(name)) throw new Error(`Recursive schema ${name}`);
      return convert(op.document.components.schemas[name], [...refs, name]);
    }
    const out: Schema = {};
    for (const [keyword, value] of Object.entries(node)) {
      if (keyword === 'properties') {
        out.properties = Object.fromEntries(
          Object.entries(value as Record<string, Schema>).map(([name, child]) => [name, convert(child, refs)]),
        );
      } else if (keyword === 'items') {
        out.items = convert(value as Schema, refs);
      } else if (!/^(x-|description$|example|nullable$)/.test(keyword)) {
        out[keyword] = value;
      }
    }
    if (node.nullable && typeof out.type === 'string') {
      out.type = [out.type, 'null'];
      if (Array.isArray(out.enum)) out.enum = [...(out.enum as unknown[]), null];
    }
    if (requireAll && out.properties) out.required = Object.keys(out.properties);
    return out;
  };
  return convert(schema, []);
}

/** The JSON Schema of an operation's answer with the given status, every property required. */
export function responseSchema(op: SpecOperation, status: number): Schema | undefined {
  const schema = op.operation.responses[String(status)]?.content?.['application/json']?.schema;
  return schema && toJsonSchema(schema, op, true);
}
