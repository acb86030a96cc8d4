/** Picks the AI engine the configuration names, grounded in the deployed knowledge base. */
import type { Config } from '../config.private';
import type { AiEngine } from './engine.private';
import type * as Embedded from './embedded.private';

const { createEmbeddedEngine } = require(Runtime.getAssets()['/ai/embedded.js'].path) as typeof Embedded;

export function createEngine(config: Config): AiEngine {
  return createEmbeddedEngine({
    knowledgeBase: Runtime.getAssets()['/knowledge.md'].open(),
    forbiddenTopics: config.FORBIDDEN_TOPICS,
    agentName: config.AI_AGENT_NAME,
    companyName: config.COMPANY_NAME,
  });
}
