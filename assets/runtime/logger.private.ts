/**
 * The one logger. Phone numbers never reach the logs in full: anything that looks like one keeps only its
 * last four digits, so logs can still be correlated with a contact without exposing them.
 */

type Level = 'info' | 'warn' | 'error';
export type Fields = Record<string, unknown>;

export interface Logger {
  info(message: string, fields?: Fields): void;
  warn(message: string, fields?: Fields): void;
  error(message: string, fields?: Fields): void;
}

// 7 to 15 digits, possibly after a + and split by spaces, dots, dashes or parentheses; not inside a SID.
const PHONE_NUMBER = /(?<![\w+])\+?\(?\d(?:[\s().-]{0,2}\d){6,14}(?!\w)/g;

export function maskPhoneNumbers(text: string): string {
  return text.replace(PHONE_NUMBER, (match) => {
    const digits = match.replace(/\D/g, '');
    return `${match.startsWith('+') ? '+' : ''}***${digits.slice(-4)}`;
  });
}

function serialize(fields: Fields): string {
  return JSON.stringify(fields, (_key, value: unknown) =>
    value instanceof Error
      ? { name: value.name, message: value.message, code: (value as { code?: unknown }).code }
      : value,
  );
}

export function createLogger(scope: string): Logger {
  const write = (level: Level, message: string, fields?: Fields) => {
    const line = maskPhoneNumbers(`[${scope}] ${message}${fields ? ' ' + serialize(fields) : ''}`);
    if (level === 'error') console.error(line);
    else if (level === 'warn') console.warn(line);
    else console.log(line);
  };
  return {
    info: (message, fields) => write('info', message, fields),
    warn: (message, fields) => write('warn', message, fields),
    error: (message, fields) => write('error', message, fields),
  };
}
