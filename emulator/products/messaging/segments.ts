/** How many SMS segments a body takes: GSM-7 160 chars (153 per part), otherwise UCS-2 70 (67 per part). */
const GSM7_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
/** Characters of the GSM-7 extension table, two septets each. */
const GSM7_EXTENDED = '^{}\\[~]|€\f';

export function segmentCount(body: string): number {
  const chars = [...body];
  if (chars.every((c) => GSM7_BASIC.includes(c) || GSM7_EXTENDED.includes(c))) {
    const septets = chars.reduce((sum, c) => sum + (GSM7_EXTENDED.includes(c) ? 2 : 1), 0);
    return septets <= 160 ? 1 : Math.ceil(septets / 153);
  }
  return body.length <= 70 ? 1 : Math.ceil(body.length / 67);
}
