/**
 * `setup --task-info-panel`: the six handoff attributes in Flex's task info panel. Not automated: the panel's
 * content is Flex UI's `TaskInfoPanelContent` language string, which a Flex UI plugin sets. The Flex
 * Configuration API (flex-api.twilio.com/v1/Configuration) has no setting for it that its spec describes
 * (`twilio_flex_v1.json` gives the update an empty, untyped JSON body), so nothing could be checked against the
 * spec in the emulator. Setup prints the manual steps instead.
 */

const LABELS: Record<string, string> = {
  handedOff: 'Handed off by AI',
  handoffReason: 'Reason',
  handoffSummary: 'Summary',
  handoffSentiment: 'Sentiment',
  handoffLanguage: 'Language',
  handoffTimestamp: 'Handed off at',
};

const PLUGIN = 'plugin-handoff-info';

/** What to append to `manager.strings.TaskInfoPanelContent` (a Handlebars template of the task). */
export const TASK_INFO_PANEL_TEMPLATE = [
  '<hr/><h1>AI HANDOFF</h1>',
  ...Object.entries(LABELS).map(([attribute, label]) => `<p>${label}: {{task.attributes.${attribute}}}</p>`),
].join('');

export const TASK_INFO_PANEL = {
  automated: false,
  reason:
    "Flex's task info panel shows its TaskInfoPanelContent language string, which only a Flex UI plugin sets; " +
    'the Flex Configuration API has no such setting in its spec, so setup does not change it.',
  steps: [
    'Install the Flex Plugins CLI: twilio plugins:install @twilio-labs/plugin-flex',
    `Create a plugin: twilio flex:plugins:create ${PLUGIN} --install`,
    `In its init(flex, manager), append to the panel: manager.strings.TaskInfoPanelContent += '${TASK_INFO_PANEL_TEMPLATE}';`,
    'Deploy it: twilio flex:plugins:deploy --major --changelog "AI handoff attributes in the task info panel"',
    `Release it with the command the deploy prints: twilio flex:plugins:release --plugin ${PLUGIN}@1.0.0 --name "AI handoff info"`,
    'Reload Flex: the Info tab of a handed-off task shows the six attributes.',
  ],
};
