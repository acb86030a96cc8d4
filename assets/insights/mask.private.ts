/**
 * The one masking of a contact's words kept for insights (contract 2 of the insights and assist branches): a
 * question stored for knowledge-base authors must not carry the contact's e-mail address, card, phone or order
 * number. What a question is about survives ("return my order [number]").
 */

const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.\p{L}{2,}/gu;
/** 13 to 19 digits, in groups separated by spaces or dashes: a payment card's layout. */
const CARD = /(?<!\d)\d(?:[ -]?\d){12,18}(?!\d)/g;
/**
 * A run of digits, with the separators phone numbers use: order numbers, phone numbers, postcodes, codes. A
 * lone one- or two-digit number ("30 days", "size 9") says what the question is about, not who asks it.
 */
const DIGIT_RUN = /\+?\d(?:[\d ().-]*\d)?/g;
const MIN_MASKED_DIGITS = 3;

export function maskContactText(text: string): string {
  return text
    .replace(EMAIL, '[email]')
    .replace(CARD, '[card]')
    .replace(DIGIT_RUN, (run) => (run.replace(/\D/g, '').length >= MIN_MASKED_DIGITS ? '[number]' : run));
}
