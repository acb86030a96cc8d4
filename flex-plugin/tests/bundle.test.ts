/**
 * The built bundle keeps Flex's plugin contract: one script, evaluated in a page that already has React,
 * ReactDOM and Flex as globals, with none of them inside it, that registers the plugin with Flex's loader.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import React from 'react';

jest.setTimeout(60_000);

const root = path.join(__dirname, '..');
let bundle: string;

beforeAll(() => {
  const output = execFileSync(process.execPath, ['build.mjs'], { cwd: root, encoding: 'utf8' });
  expect(output).toMatch(/dist\/flex-sms-handoff-plugin\.js: [\d.]+ KiB/);
  bundle = readFileSync(path.join(root, 'dist/flex-sms-handoff-plugin.js'), 'utf8');
});

test('carries no copy of React or Flex and needs no module loader', () => {
  expect(bundle).not.toMatch(/react\.production\.min|Minified React error|twilio-flex/);
  expect(bundle).not.toMatch(/\brequire\(/);
  expect(bundle.length).toBeLessThan(50 * 1024);
});

test("registers the plugin with Flex's loader, whose init uses the Flex it is given", () => {
  const init = jest.fn();
  const scope = window as unknown as Record<string, unknown>;
  scope.React = React;
  scope.Twilio = { Flex: { Plugins: { init } } };
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
  window.eval(bundle);
  expect(init).toHaveBeenCalledTimes(1);
  const Plugin = init.mock.calls[0][0] as new () => {
    name: string;
    uniqueName: string;
    version: string;
    dependencies: Record<string, string>;
    init(flex: unknown, manager: unknown): void;
  };
  const plugin = new Plugin();
  expect(plugin).toMatchObject({ name: 'FlexSmsHandoffPlugin', uniqueName: 'flex-sms-handoff-plugin' });
  expect(plugin.version).toBe(JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).version);
  expect(plugin.dependencies).toMatchObject({ 'flex-ui': '2.17.1', react: '17.0.2' });
  const add = jest.fn();
  plugin.init({ TaskInfoPanel: { Content: { add } }, MessageBubble: { Content: { add } } }, {});
  expect(add.mock.calls.map(([element]) => (element as React.ReactElement).key)).toEqual([
    'flex-sms-handoff-card',
    'flex-sms-handoff-ai-author',
  ]);
});
