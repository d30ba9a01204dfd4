import { afterAll, describe, expect, it } from '@jest/globals';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfigFile, substituteEnv } from '../../src/config/config-file.js';
import { parseDesired } from '../../src/config/subscription-entries.js';
import { tempDir } from '../support/temp-dir.js';

const dir = tempDir();
afterAll(() => dir.cleanup());
const file = (text: string) => {
  const path = join(dir.path, `c-${Math.random()}.yml`);
  writeFileSync(path, text);
  return path;
};

describe('loadConfigFile', () => {
  it('substitutes ${VAR} from the environment and returns both lists', () => {
    const path = file(
      'sinks:\n  - { kind: log }\nsubscriptions:\n  - { type: stream.online, broadcaster: "${CHANNEL}" }\n',
    );
    expect(loadConfigFile(path, { CHANNEL: 'streamer' })).toEqual({
      path,
      sinks: [{ kind: 'log' }],
      subscriptions: [{ type: 'stream.online', broadcaster: 'streamer' }],
    });
  });

  it('$${VAR} is a literal ${VAR}: not substituted, and not an error when VAR is unset', () => {
    expect(substituteEnv('a: $${X}', { X: 'val' }, 'f.yml')).toBe('a: ${X}');
    expect(substituteEnv('a: $${UNSET} ${X}', { X: 'val' }, 'f.yml')).toBe('a: ${UNSET} val');
    expect(substituteEnv('a: $$ b: $x ${X}$', { X: 'val' }, 'f.yml')).toBe('a: $$ b: $x val$');
    const path = file('sinks:\n  - { kind: log, note: "costs $${PRICE}" }\n');
    expect(loadConfigFile(path, {})).toEqual({ path, sinks: [{ kind: 'log', note: 'costs ${PRICE}' }] });
  });

  it('names the unset variable, bad YAML, and a non-list section', () => {
    expect(() => loadConfigFile(file('subscriptions: ${NOPE}\n'), {})).toThrow('NOPE is not set');
    expect(() => loadConfigFile(file('subscriptions: [\n'), {})).toThrow('is not valid YAML');
    expect(() => loadConfigFile(file('subscriptions: 3\n'), {})).toThrow('subscriptions: must be a list');
    expect(() => loadConfigFile(join(dir.path, 'missing.yml'), {})).toThrow('CONFIG_FILE: cannot read');
  });
});

describe('parseDesired', () => {
  it('accepts numbers as strings and names the path of a bad field', () => {
    expect(parseDesired([{ type: 'stream.online', version: 1, broadcaster: 1337 }])).toEqual([
      { type: 'stream.online', version: '1', broadcaster: '1337', condition: {} },
    ]);
    expect(() =>
      parseDesired([{ type: 'stream.online', broadcaster: 'b' }, { type: 'stream.online' }]),
    ).toThrow('subscriptions[1].broadcaster');
    expect(() => parseDesired([{ type: 'stream.online', broadcaster: 'b', extra: 1 }])).toThrow(
      'subscriptions[0]',
    );
  });
});

describe('mistakes in the config file that must not pass silently', () => {
  it('an unknown top-level key is an error with "did you mean"', () => {
    expect(() => loadConfigFile(file('sink:\n  - { name: a, kind: log }\n'), {})).toThrow(
      /^sink: unknown top-level key in .*\.yml; did you mean "sinks"\? \(known: sinks, subscriptions, streams, conduit, alerts\)/,
    );
    expect(() => loadConfigFile(file('Sinks: []\n'), {})).toThrow('did you mean "sinks"?');
    expect(() => loadConfigFile(file('subscription: []\n'), {})).toThrow('did you mean "subscriptions"?');
    expect(() => loadConfigFile(file('sinsk: []\n'), {})).toThrow('did you mean "sinks"?');
    expect(() => loadConfigFile(file('retention: 3\n'), {})).toThrow(
      /^retention: unknown top-level key in .*\.yml \(known: sinks, subscriptions, streams, conduit, alerts\)/,
    );
  });

  it('${VAR} inside a YAML comment is neither substituted nor required', () => {
    const path = file(
      '# set ${UNSET_IN_COMMENT} before enabling the redis sink\n' +
        'sinks: # ${ALSO_UNSET}\n' +
        '  - { name: a, kind: log } # level: ${NOPE}\n' +
        '  - name: b\n    kind: http\n    url: "${URL}" # ${X}\n    timeoutMs: ${TIMEOUT}\n',
    );
    expect(loadConfigFile(path, { URL: 'http://127.0.0.1:1/hook', TIMEOUT: '5000' })).toEqual({
      path,
      sinks: [
        { name: 'a', kind: 'log' },
        { name: 'b', kind: 'http', url: 'http://127.0.0.1:1/hook', timeoutMs: 5000 },
      ],
    });
    // Outside a comment an unset variable is still an error; a "#" inside quotes is not a comment.
    expect(() => loadConfigFile(file('sinks: [{ name: "#${UNSET_Q}", kind: log }]\n'), {})).toThrow(
      'UNSET_Q is not set',
    );
  });
});
