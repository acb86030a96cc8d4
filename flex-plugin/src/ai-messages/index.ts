export { AiAuthorMark, type AiAuthorMarkProps } from './AiAuthorMark';
export { aiNameAmong, isAiMessage, postKind, type PostKind, type ThreadMessage } from './messages';
