/**
 * Every Twilio API failure is a TwilioError, thrown from anywhere in the pipeline or a product handler and
 * answered in Twilio's error shape.
 */
export class TwilioError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
  ) {
    super(message);
  }

  toJSON() {
    return {
      code: this.code,
      message: this.message,
      more_info: `https://www.twilio.com/docs/errors/${this.code}`,
      status: this.status,
    };
  }
}

/** Twilio's generic "not found", naming the path without the product host. */
export function notFound(path: string): TwilioError {
  return new TwilioError(404, 20404, `The requested resource ${path} was not found`);
}
