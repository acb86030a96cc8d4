/**
 * Path templates in the OpenAPI style (`/v1/Services/{ServiceSid}/Maps/{Sid}`, `/…/Messages/{Sid}.json`),
 * shared by the spec index and the emulator's own route tables.
 */
export type HttpMethod = 'GET' | 'POST' | 'DELETE';

export interface PathTemplate {
  readonly template: string;
  readonly paramNames: readonly string[];
  readonly regex: RegExp;
}

export function compileTemplate(template: string): PathTemplate {
  const paramNames: string[] = [];
  const source = template
    .split(/(\{\w+\})/)
    .map((part) => {
      const param = /^\{(\w+)\}$/.exec(part);
      if (!param) return part.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
      paramNames.push(param[1]);
      return '([^/]+)';
    })
    .join('');
  return { template, paramNames, regex: new RegExp(`^${source}$`) };
}

/** The decoded path parameters when `path` fits the template. */
export function matchTemplate({ paramNames, regex }: PathTemplate, path: string): Record<string, string> | undefined {
  const match = regex.exec(path);
  if (!match) return undefined;
  try {
    return Object.fromEntries(paramNames.map((name, i) => [name, decodeURIComponent(match[i + 1])]));
  } catch {
    return undefined; // malformed percent-encoding fits no resource
  }
}

/** Literal templates win over templated ones (`IncomingPhoneNumbers/Local.json` before `…/{Sid}.json`). */
function bySpecificity(a: PathTemplate, b: PathTemplate): number {
  return a.paramNames.length - b.paramNames.length;
}

export interface Route<Handler> {
  method: HttpMethod;
  path: string;
  handler: Handler;
}

export type RouteMatch<Handler> =
  | { kind: 'found'; handler: Handler; params: Record<string, string> }
  | { kind: 'method-not-allowed' }
  | { kind: 'not-found' };

export class RouteTable<Handler> {
  private readonly entries: { template: PathTemplate; route: Route<Handler> }[];

  constructor(routes: readonly Route<Handler>[]) {
    this.entries = routes
      .map((route) => ({ template: compileTemplate(route.path), route }))
      .sort((a, b) => bySpecificity(a.template, b.template));
  }

  match(method: string, path: string): RouteMatch<Handler> {
    let pathExists = false;
    for (const { template, route } of this.entries) {
      const params = matchTemplate(template, path);
      if (!params) continue;
      if (route.method === method) return { kind: 'found', handler: route.handler, params };
      pathExists = true;
    }
    return pathExists ? { kind: 'method-not-allowed' } : { kind: 'not-found' };
  }
}
