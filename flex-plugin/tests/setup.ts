/** What the bundle's build defines (build.mjs) and what jsdom lacks for Flex UI to load. */
const globals = globalThis as Record<string, unknown>;
globals.__FPB_PLUGIN_UNIQUE_NAME = 'flex-sms-handoff-plugin';
globals.__FPB_PLUGIN_VERSION = '0.0.0-test';
for (const name of [
  '__FPB_FLEX_PLUGIN_SCRIPTS_VERSION',
  '__FPB_FLEX_PLUGIN_VERSION',
  '__FPB_FLEX_UI_VERSION',
  '__FPB_REACT_VERSION',
  '__FPB_REACT_DOM_VERSION',
]) {
  globals[name] = 'test';
}

// jsdom has no media playback; Flex UI creates audio elements for its ringtones when it loads.
Object.defineProperty(window.HTMLMediaElement.prototype, 'play', { value: () => Promise.resolve() });
Object.defineProperty(window.HTMLMediaElement.prototype, 'pause', { value: () => undefined });
Object.defineProperty(window.HTMLMediaElement.prototype, 'load', { value: () => undefined });
