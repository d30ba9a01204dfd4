import { describe, expect, it } from '@jest/globals';
import { Webhook } from 'standardwebhooks';
import { createWebhookSigner } from '../../src/sinks/webhook-signer.js';
import { TEST_WEBHOOK_SECRET } from '../support/config-file.js';

describe('createWebhookSigner', () => {
  it('signs exactly as Standard Webhooks does: the standardwebhooks package verifies every signature', () => {
    const sign = createWebhookSigner(TEST_WEBHOOK_SECRET);
    const reference = new Webhook(TEST_WEBHOOK_SECRET);
    const bodies = [
      '{}',
      '{"event":{"user_name":"Çool ユーザー 🎉"}}',
      JSON.stringify({ event: { text: 'x'.repeat(70_000) } }),
    ];
    for (const [index, body] of bodies.entries()) {
      const at = new Date(Date.now() - index * 1000);
      const id = `msg_${index}`;
      const signature = sign(id, at, body);
      expect(signature).toBe(reference.sign(id, at, body));
      const headers = {
        'webhook-id': id,
        'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
        'webhook-signature': signature,
      };
      expect(reference.verify(body, headers)).toEqual(JSON.parse(body));
    }
  });

  it('a different secret gives a signature the consumer rejects', () => {
    const at = new Date();
    const wrong = createWebhookSigner(
      'whsec_' + Buffer.from('another-secret-of-32-bytes-long!').toString('base64'),
    );
    const headers = {
      'webhook-id': 'msg_1',
      'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
      'webhook-signature': wrong('msg_1', at, '{}'),
    };
    expect(() => new Webhook(TEST_WEBHOOK_SECRET).verify('{}', headers)).toThrow();
  });
});
