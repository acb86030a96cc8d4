import {
  handoffRouting,
  type RoutingConfiguration,
  routeTask,
  sampleHandoffAttributes,
  withHandoffFilter,
} from '../../scripts/admin/workflow';

const EVERYONE = `WQ${'1'.repeat(32)}`;
const SPANISH = `WQ${'2'.repeat(32)}`;
const SUPPORT = `WQ${'3'.repeat(32)}`;

function workflow(filters: [string, string, string][], defaultQueue?: string): RoutingConfiguration {
  return {
    task_routing: {
      filters: filters.map(([name, expression, queue]) => ({
        filter_friendly_name: name,
        expression,
        targets: [{ queue }],
      })),
      ...(defaultQueue && { default_filter: { queue: defaultQueue } }),
    },
  };
}

describe('where the workflow sends a handed-off text', () => {
  it('evaluates the real attributes of a handed-off task, with those Flex adds', () => {
    expect(sampleHandoffAttributes()).toMatchObject({
      from: '+14155550100',
      handedOff: true,
      handoffReason: 'Asked for a person',
      handoffReasonCode: 'contact_requested',
      handoffLanguage: 'en',
      conversationSid: expect.stringMatching(/^CH/),
      channelType: 'sms',
      flexInteractionSid: expect.stringMatching(/^KD/),
      flexInteractionChannelSid: expect.stringMatching(/^UO/),
    });
  });

  it('takes the first filter that matches, in order, as TaskRouter does', () => {
    const configuration = workflow(
      [
        ['Spanish handoffs', 'handedOff == true AND handoffLanguage == "es"', SPANISH],
        ['Handoffs', 'handedOff == true', SUPPORT],
        ['Everything', '1==1', EVERYONE],
      ],
      EVERYONE,
    );
    expect(routeTask(configuration, sampleHandoffAttributes())).toMatchObject({
      by: 'filter',
      index: 1,
      queueSid: SUPPORT,
    });
    expect(handoffRouting(configuration)).toMatchObject({ kind: 'handoff-filter', route: { queueSid: SUPPORT } });
  });

  it('calls a first match that ignores the handoff a catch-all, and no match the default', () => {
    const smsFirst = workflow(
      [
        ['SMS', 'channelType == "sms"', EVERYONE],
        ['Handoffs', 'handedOff == true', SUPPORT],
      ],
      EVERYONE,
    );
    expect(handoffRouting(smsFirst)).toMatchObject({ kind: 'catch-all', route: { index: 0, queueSid: EVERYONE } });
    expect(handoffRouting(workflow([['Voice', 'channelType == "voice"', SUPPORT]], EVERYONE))).toMatchObject({
      kind: 'default',
      route: { queueSid: EVERYONE },
    });
    expect(handoffRouting(workflow([['Voice', 'channelType == "voice"', SUPPORT]]))).toEqual({ kind: 'unrouted' });
  });

  it('adds "Handed off by AI" first, replacing an older one of ours and keeping everything else', () => {
    const configuration = {
      ...workflow(
        [
          ['Handed off by AI', 'handedOff == true', SPANISH],
          ['Everything', '1==1', EVERYONE],
        ],
        EVERYONE,
      ),
      custom: 'kept',
    };
    const fixed = withHandoffFilter(configuration, SUPPORT);
    expect(fixed).toEqual({
      custom: 'kept',
      task_routing: {
        filters: [
          { filter_friendly_name: 'Handed off by AI', expression: 'handedOff == true', targets: [{ queue: SUPPORT }] },
          { filter_friendly_name: 'Everything', expression: '1==1', targets: [{ queue: EVERYONE }] },
        ],
        default_filter: { queue: EVERYONE },
      },
    });
    expect(handoffRouting(fixed)).toMatchObject({ kind: 'handoff-filter', route: { queueSid: SUPPORT } });
  });
});
