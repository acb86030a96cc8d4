/**
 * Preloaded into twilio-run (`node --require`) by `npm run deploy` only when TWILIO_API_BASE_URL is set, the
 * project's one seam to the local emulator. twilio-run's Serverless API client (@twilio-labs/serverless-api)
 * does not use the twilio SDK: it calls `https://serverless.twilio.com/v1` and
 * `https://serverless-upload.twilio.com/v1` through its own got instance, which has no option for another
 * host. That instance is replaced by one whose hook sends every request, paging links included, where the
 * functions' and scripts' requests go (`rewriteTwilioUrl`), with the same basic auth.
 */
import { rewriteTwilioUrl } from '../../assets/twilio/gateway.private';

type Got = typeof import('@twilio-labs/serverless-api/dist/got').got;

const baseUrl = process.env.TWILIO_API_BASE_URL;
if (!baseUrl) throw new Error('emulator-redirect is preloaded only with TWILIO_API_BASE_URL set');

// The module object twilio-run's client reads `default` from each time it creates its got client.
const gotModule = require('@twilio-labs/serverless-api/dist/got') as { default: Got; got: Got };
gotModule.default = gotModule.got = gotModule.got.extend({
  hooks: {
    beforeRequest: [
      (options) => {
        const { url } = options;
        // Without the credentials got keeps in the URL, which the seam's pattern does not expect.
        const target = new URL(rewriteTwilioUrl(`${url.origin}${url.pathname}${url.search}`, baseUrl));
        target.username = url.username;
        target.password = url.password;
        options.url = target;
      },
    ],
  },
});
