/**
 * A contact's words as insights may keep them: what could name or reach a person, or pay with their card, is
 * masked before anything is stored (an unanswered question, a rep-taught suggestion). The one place this is done.
 */

const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+/gu;
/** 13 to 19 digits, possibly grouped by spaces or dashes: a payment card's number. */
const CARD = /(?<![\p{L}\p{N}])\d(?:[ -]?\d){12,18}(?![\p{L}\p{N}])/gu;
/**
 * Three digits or more, possibly after a + and split by spaces, dots, dashes, slashes or parentheses: phone
 * numbers, order and account numbers, postal codes, a card's security code. Shorter runs ("2 pairs", "30 days")
 * say what a question is about and name nobody. Digits inside a word ("5G", "A320") are part of the word.
 */
const DIGIT_RUN = /(?<![\p{L}\p{N}])\+?\(?\d(?:[\s()./-]{0,2}\d){2,}(?![\p{L}\p{N}])/gu;

export function maskContactText(text: string): string {
  return text.replace(EMAIL, '[email]').replace(CARD, '[card]').replace(DIGIT_RUN, '[number]');
}
