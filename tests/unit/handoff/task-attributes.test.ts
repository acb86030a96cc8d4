import {
  customDataFromTask,
  handoffReasonOf,
  handoffTaskAttributes,
} from '../../../assets/handoff/task-attributes.private';
import { openSession, startHandoff } from '../../../assets/session/model.private';

const contact = '+14155550100';
const grounds = {
  reason: 'contact_requested' as const,
  phrase: 'Asked for a person after 2 unanswered questions about warranty',
  summary: 'The contact asked where their order is, then asked for a person.',
  sentiment: 'negative' as const,
  language: 'es',
};
const session = startHandoff(
  openSession('+15005550006', new Date('2026-11-24T14:02:00Z')),
  grounds,
  new Date('2026-11-24T14:05:00Z'),
);
const handoff = session.handoff!;

describe('task attributes', () => {
  it('carry the contact as the task title, the handoff attributes, Flex Insights attributes and the flex_ custom data', () => {
    const attributes = handoffTaskAttributes({
      contact,
      conversationSid: 'CH' + '0'.repeat(32),
      handoff,
      customData: { flex_department: 'billing', flex_priority: 2, flex_customer_name: 'Ana' },
      sessionStartedAt: session.startedAt,
    });
    expect(attributes).toEqual({
      from: contact,
      customerAddress: contact,
      customerName: 'Ana',
      conversationSid: 'CH' + '0'.repeat(32),
      handedOff: true,
      handoffReason: 'Asked for a person after 2 unanswered questions about warranty',
      handoffReasonCode: 'contact_requested',
      handoffSummary: handoff.summary,
      handoffSentiment: 'negative',
      handoffLanguage: 'es',
      handoffTimestamp: '2026-11-24T14:05:00.000Z',
      // What Flex Insights reads: the Interactions API adds its own keys to this object.
      conversations: {
        preceded_by: 'Bot',
        language: 'es',
        conversation_attribute_8: 'contact_requested',
        conversation_attribute_9: 'negative',
        conversation_measure_8: 180,
      },
      flex_department: 'billing',
      flex_priority: 2,
      flex_customer_name: 'Ana',
    });
  });

  it('flatten what the workflow or rep added into flex_ custom data, leaving ours and Flex own alone', () => {
    expect(
      customDataFromTask({
        from: contact,
        conversationSid: 'CH1',
        handoffReason: 'x',
        handoffReasonCode: 'api',
        conversations: { conversation_id: 'KD1' },
        flex_department: 'billing',
        order_id: 'A-1001',
        customer: { tier: 'gold', vip: true },
        tags: ['a', 'b'],
      }),
    ).toEqual({
      flex_department: 'billing',
      flex_order_id: 'A-1001',
      flex_customer_tier: 'gold',
      flex_customer_vip: true,
      flex_tags: '["a","b"]',
    });
  });

  it('read a reason as a code and a phrase, also from sessions handed off before the phrases', () => {
    expect(handoffReasonOf({ reason: 'forbidden_topic', phrase: 'Forbidden topic: legal action' })).toEqual({
      code: 'forbidden_topic',
      phrase: 'Forbidden topic: legal action',
    });
    expect(handoffReasonOf({ reason: 'frustrated' })).toEqual({
      code: 'frustrated',
      phrase: 'The contact seems frustrated',
    });
    // Before the codes, /flex/handoff's words were the reason itself.
    expect(handoffReasonOf({ reason: 'billing dispute' })).toEqual({ code: 'api', phrase: 'billing dispute' });
    expect(handoffReasonOf({ reason: 'constructor' })).toEqual({ code: 'api', phrase: 'constructor' });
  });
});
