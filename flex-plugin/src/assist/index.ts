/** Rep assist's public surface, for the plugin and for the local sandbox (React 17, no Flex). */
export { SuggestionPanel, type SuggestionPanelProps } from './SuggestionPanel';
export {
  createAssistClient,
  type AssistClient,
  type Draft,
  type Lesson,
  type Suggestion,
  type Suggestions,
} from './api';
