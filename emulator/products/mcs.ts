/**
 * The Media Content Service (mcs.us1.twilio.com/v1), where Conversations keeps message media: raw uploads,
 * their metadata and their bytes. Twilio's OpenAPI documents do not describe it, so its routes are outside the
 * spec (still behind basic auth).
 */
import { notFound, TwilioError } from '../errors';
import type { ApiRequest, ApiResult, ApiRoute, Product } from '../product';
import { newSid } from '../sid';

const SUB = 'mcs.us1';
const MEDIA = '/v1/Services/{ServiceSid}/Media';
/** Conversations' documented limit for one media file. */
const MAX_MEDIA_BYTES = 150 * 1024 * 1024;

export interface McsMedia {
  sid: string;
  serviceSid: string;
  contentType: string;
  filename: string | null;
  bytes: Buffer;
  /** `system` for REST uploads, else the uploading participant's identity or address. */
  author: string;
  /** The Conversation message it is attached to, once it is (media is attached to one message only). */
  messageSid: string | null;
  createdAt: number;
}

export interface NewMedia {
  serviceSid: string;
  contentType: string;
  bytes: Buffer;
  author?: string;
  filename?: string | null;
}

/** The media of every Conversations service, shared by the MCS routes and the Conversations product. */
export class MediaLibrary {
  private readonly media = new Map<string, McsMedia>();

  constructor(private readonly now: () => number) {}

  upload({ serviceSid, contentType, bytes, author = 'system', filename = null }: NewMedia): McsMedia {
    const media: McsMedia = {
      sid: newSid('ME'),
      serviceSid,
      contentType,
      filename,
      bytes,
      author,
      messageSid: null,
      createdAt: this.now(),
    };
    this.media.set(media.sid, media);
    return media;
  }

  get(serviceSid: string, sid: string): McsMedia | undefined {
    const media = this.media.get(sid);
    return media?.serviceSid === serviceSid ? media : undefined;
  }

  reset(): void {
    this.media.clear();
  }
}

/** Where a media's bytes are downloaded, as the onMessageAdded webhook and the app build it. */
export function mediaContentUrl(media: McsMedia): string {
  return `https://${SUB}.twilio.com${mediaPath(media)}/Content`;
}

function mediaPath(media: McsMedia): string {
  return `/v1/Services/${media.serviceSid}/Media/${media.sid}`;
}

export class McsProduct implements Product {
  readonly sub = SUB;

  readonly routes: ApiRoute[] = [
    { method: 'POST', path: MEDIA, handler: (req) => this.upload(req), outsideSpec: true },
    { method: 'GET', path: `${MEDIA}/{Sid}`, handler: (req) => this.fetch(req), outsideSpec: true },
    { method: 'GET', path: `${MEDIA}/{Sid}/Content`, handler: (req) => this.download(req), outsideSpec: true },
  ];

  constructor(
    private readonly library: MediaLibrary,
    /** Whether a Conversations service exists: media belongs to one. */
    private readonly hasService: (sid: string) => boolean,
  ) {}

  reset(): void {
    this.library.reset();
  }

  private upload(req: ApiRequest): ApiResult {
    const serviceSid = req.params.ServiceSid;
    if (!this.hasService(serviceSid)) throw notFound(req.path);
    const contentType = req.headers['content-type'];
    if (!contentType) throw new TwilioError(400, 20001, 'The upload needs a Content-Type');
    if (req.body.length === 0) throw new TwilioError(400, 20001, 'The upload has no content');
    if (req.body.length > MAX_MEDIA_BYTES) {
      throw new TwilioError(413, 20001, `Media is limited to ${MAX_MEDIA_BYTES} bytes`);
    }
    const media = this.library.upload({ serviceSid, contentType, bytes: req.body });
    return { status: 201, json: this.render(media) };
  }

  private fetch(req: ApiRequest): ApiResult {
    return { status: 200, json: this.render(this.media(req)) };
  }

  private download(req: ApiRequest): ApiResult {
    const media = this.media(req);
    return { status: 200, body: media.bytes, headers: { 'Content-Type': media.contentType } };
  }

  private media(req: ApiRequest): McsMedia {
    const media = this.library.get(req.params.ServiceSid, req.params.Sid);
    if (!media) throw notFound(req.path);
    return media;
  }

  /** As MCS answers: relative `url` and `links`, dates with milliseconds. */
  private render(media: McsMedia) {
    const path = mediaPath(media);
    const date = new Date(media.createdAt).toISOString();
    return {
      sid: media.sid,
      service_sid: media.serviceSid,
      date_created: date,
      date_upload_updated: date,
      date_updated: date,
      links: { content: `${path}/Content`, content_direct_temporary: `${path}/Content/Direct` },
      size: media.bytes.length,
      content_type: media.contentType,
      filename: media.filename,
      author: media.author,
      category: 'media',
      message_sid: media.messageSid,
      channel_sid: null,
      url: path,
    };
  }
}
