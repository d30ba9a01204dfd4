import { describe, expect, it } from '@jest/globals';
import { ConfigError } from '../../src/config/errors.js';
import { parseDesired } from '../../src/config/subscription-entries.js';
import { parseSinkEntry } from '../../src/delivery/config/sink-config.js';
import { createSinkRegistry } from '../../src/sinks/registry.js';
import { parseStreamEntries } from '../../src/stream/stream-config.js';

/** The ConfigError `parse` throws. */
function problem(parse: () => unknown): ConfigError {
  try {
    parse();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

const sinkWithTypes = (types: string[]) => () =>
  parseSinkEntry(createSinkRegistry(), { name: 'bot', kind: 'log', filter: { types } }, 'sinks[0]');

const streamWithTypes = (types: string[]) => () =>
  parseStreamEntries([{ name: 'overlay', token: 'x'.repeat(20), filter: { types } }]);

describe('event types in the config file must be ones Twitch sends', () => {
  it('a misspelled type in a sink filter names the path and suggests the right type', () => {
    const error = problem(sinkWithTypes(['stream.online', 'channel.folow']));
    expect(error.path).toBe('sinks[0].filter.types[1]');
    expect(error.problem).toMatch(/unknown EventSub type "channel\.folow"; did you mean "channel\.follow"\?/);
  });

  it('a misspelled type in a stream filter names the path and suggests the right type', () => {
    const error = problem(streamWithTypes(['channel.folow']));
    expect(error.path).toBe('streams[0].filter.types[0]');
    expect(error.problem).toMatch(/did you mean "channel\.follow"\?/);
  });

  it('a glob must match at least one type, with a suggestion when one segment is misspelled', () => {
    const error = problem(sinkWithTypes(['chanel.*']));
    expect(error.path).toBe('sinks[0].filter.types[0]');
    expect(error.problem).toMatch(/"chanel\.\*" matches no EventSub type; did you mean "channel\.\*"\?/);
    expect(problem(sinkWithTypes(['nothing.like.it.*'])).problem).toMatch(
      /matches no EventSub type.*eventsub-relay types/,
    );
  });

  it.each([['channel.*'], ['*.online'], ['stream.online'], ['*'], ['channel.chat.*'], ['channel.follow']])(
    'the type or glob %s is accepted',
    (type) => {
      expect(sinkWithTypes([type])().filter.types).toEqual([type]);
      expect(streamWithTypes([type])()[0]!.filter.types).toEqual([type]);
    },
  );

  it('a misspelled subscriptions entry names subscriptions[i].type and suggests the right type', () => {
    const error = problem(() =>
      parseDesired([
        { type: 'stream.online', broadcaster: 'me' },
        { type: 'chanel.follow', broadcaster: 'me' },
      ]),
    );
    expect(error.path).toBe('subscriptions[1].type');
    expect(error.problem).toMatch(/unknown EventSub type "chanel\.follow"; did you mean "channel\.follow"\?/);
  });

  it('a subscriptions entry with a version Twitch does not have names the versions it has', () => {
    const error = problem(() => parseDesired([{ type: 'channel.follow', version: '7', broadcaster: 'me' }]));
    expect(error.path).toBe('subscriptions[0].version');
    expect(error.problem).toMatch(/channel\.follow has version 2/);
  });
});
