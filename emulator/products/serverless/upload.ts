/**
 * Serverless uploads (serverless-upload.twilio.com/v1): a Function's or an Asset's new version as
 * multipart/form-data with `Path`, `Visibility` and the file as `Content`, as twilio-run sends them. Twilio's
 * OpenAPI documents do not describe this host, so its routes are outside the spec (still behind basic auth) and
 * check their fields here; the multipart body is parsed by the platform's own `Response.formData()`.
 */
import { TwilioError } from '../../errors';
import type { ApiRequest, ApiResult, ApiRoute, Product } from '../../product';
import { newSid } from '../../sid';
import type { Store } from '../../store';
import { found, type FunctionsServices, type Version, type Visibility } from './model';
import { Renderer } from './render';

const SUB = 'serverless-upload';
const SERVICE = '/v1/Services/{ServiceSid}';
const VISIBILITIES: readonly Visibility[] = ['public', 'protected', 'private'];
/** Twilio's limit on one asset. */
const MAX_ASSET_BYTES = 10 * 1024 * 1024;

export class ServerlessUploadProduct implements Product {
  readonly sub = SUB;
  private readonly render: Renderer;

  readonly routes: ApiRoute[] = [
    {
      method: 'POST',
      path: `${SERVICE}/Functions/{Sid}/Versions`,
      handler: (req) => this.upload(req, 'functions'),
      outsideSpec: true,
    },
    {
      method: 'POST',
      path: `${SERVICE}/Assets/{Sid}/Versions`,
      handler: (req) => this.upload(req, 'assets'),
      outsideSpec: true,
    },
  ];

  constructor(
    private readonly store: Store,
    private readonly state: FunctionsServices,
  ) {
    // Versions live on serverless.twilio.com: their `url`s name that host.
    this.render = new Renderer('serverless', store.account.sid);
  }

  /** The state belongs to the Serverless product, which resets it. */
  reset(): void {}

  private async upload(req: ApiRequest, kind: 'functions' | 'assets'): Promise<ApiResult> {
    const service = this.state.service(req.path, req.params.ServiceSid);
    const resource = found(service[kind], req.params.Sid, req.path);
    const form = await multipart(req);
    const path = form.get('Path');
    const visibility = form.get('Visibility');
    const content = form.get('Content');
    if (typeof path !== 'string' || !path.startsWith('/')) {
      throw new TwilioError(400, 20001, 'Path is required and must start with /');
    }
    if (typeof visibility !== 'string' || !VISIBILITIES.includes(visibility as Visibility)) {
      throw new TwilioError(400, 20001, `Visibility must be one of ${VISIBILITIES.join(', ')}`);
    }
    if (!(content instanceof Blob)) throw new TwilioError(400, 20001, 'Content is required, as a file');
    if (kind === 'assets' && content.size > MAX_ASSET_BYTES) {
      throw new TwilioError(413, 20001, `An Asset is limited to ${MAX_ASSET_BYTES} bytes`);
    }
    const version: Version = {
      sid: newSid('ZN'),
      resource,
      path,
      visibility: visibility as Visibility,
      contentType: content.type || 'application/octet-stream',
      content: Buffer.from(await content.arrayBuffer()),
      createdAt: this.store.clock.now(),
    };
    resource.versions.set(version.sid, version);
    return { status: 201, json: this.render.version(service, version) };
  }
}

async function multipart(req: ApiRequest): Promise<FormData> {
  const contentType = req.headers['content-type'] ?? '';
  if (!contentType.startsWith('multipart/form-data')) {
    throw new TwilioError(400, 20001, 'The upload must be multipart/form-data');
  }
  try {
    return await new Response(req.body, { headers: { 'content-type': contentType } }).formData();
  } catch (error) {
    throw new TwilioError(400, 20001, `The multipart body does not parse: ${(error as Error).message}`);
  }
}
