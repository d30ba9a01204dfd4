import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { startTestRelay } from '../support/in-process-relay.js';
import { runCli } from '../support/relay-process.js';

// Each test runs the CLI as a process; on a busy 2-core machine that takes a while.
jest.setTimeout(90_000);

type Relay = Awaited<ReturnType<typeof startTestRelay>>;
let relay: Relay;
let env: Record<string, string>;

beforeEach(async () => {
  relay = await startTestRelay({ EVENTSUB_SECRET: '' });
  env = { DATA_DIR: relay.config.dataDir, PORT: String(relay.port), STORE_URL: relay.config.store.url };
});
afterEach(async () => {
  await relay.close();
});

const trigger = (args: string[]) => runCli(['trigger', ...args, '--json'], env);
const messageId = (stdout: string) =>
  (JSON.parse(stdout) as { results: { messageId: string }[] }).results[0]!.messageId;

describe('eventsub-relay trigger --set', () => {
  it('sets the user, amount and message of a cheer; the relay stores exactly that event', async () => {
    const result = await trigger([
      'channel.cheer',
      '--set',
      'user=Big_Spender',
      '--set',
      'amount=500',
      '--set',
      'message=Cheer100 take my bits',
    ]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const stored = await relay.store.getEvent(messageId(result.stdout));
    expect(stored?.envelope.event).toMatchObject({
      user_name: 'Big_Spender',
      user_login: 'big_spender',
      bits: 500,
      message: 'Cheer100 take my bits',
      is_anonymous: false,
    });
  });

  it('raid viewers and raider, resub months and tier, a dotted path into a redemption', async () => {
    const raid = await trigger(['channel.raid', '--set', 'user=Raider', '--set', 'viewers=42']);
    expect((await relay.store.getEvent(messageId(raid.stdout)))?.envelope.event).toMatchObject({
      from_broadcaster_user_name: 'Raider',
      from_broadcaster_user_login: 'raider',
      viewers: 42,
    });
    const resub = await trigger([
      'channel.subscription.message',
      '--set',
      'months=24',
      '--set',
      'tier=3',
      '--set',
      'message=two years!',
    ]);
    expect((await relay.store.getEvent(messageId(resub.stdout)))?.envelope.event).toMatchObject({
      cumulative_months: 24,
      tier: '3000',
      message: { text: 'two years!', emotes: [] },
    });
    const redemption = await trigger([
      'channel.channel_points_custom_reward_redemption.add',
      '--set',
      'reward.title=Hydrate',
      '--set',
      'reward.cost=250',
    ]);
    expect((await relay.store.getEvent(messageId(redemption.stdout)))?.envelope.event).toMatchObject({
      reward: { title: 'Hydrate', cost: 250 },
    });
  });

  it('an unknown key: exit 1, the keys this type knows, nothing sent or stored', async () => {
    const result = await trigger(['channel.follow', '--set', 'bits=100']);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('channel.follow has no field for --set bits: its keys are user, ');
    expect(result.stderr).toContain('or a dotted path into the event (user_id, user_login, user_name');
    expect(await relay.store.countEvents()).toBe(0);
  });

  it('a value of the wrong kind, no "=", or --set with a revocation: exit 1, nothing stored', async () => {
    const number = await trigger(['channel.cheer', '--set', 'amount=lots']);
    expect(number.code).toBe(1);
    expect(number.stderr).toContain('channel.cheer bits is a number, got "lots"');
    const bare = await trigger(['channel.cheer', '--set', 'amount']);
    expect(bare.code).toBe(1);
    expect(bare.stderr).toContain('--set needs key=value (e.g. --set user=Foo), got "amount"');
    const revocation = await trigger(['channel.cheer', '--revocation', '--set', 'user=x']);
    expect(revocation.code).toBe(1);
    expect(revocation.stderr).toContain('--set changes the event of a notification');
    expect(await relay.store.countEvents()).toBe(0);
  });
});
