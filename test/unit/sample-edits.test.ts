import { describe, expect, it } from '@jest/globals';
import { CATALOG } from '../../src/twitch/catalog.js';
import { sampleEvent } from '../../src/twitch/samples/index.js';
import { applySampleEdits, editableFields } from '../../src/twitch/samples/sample-edits.js';

describe('sample edits (the Test page)', () => {
  it('a chat message: chatter name and login, the text and one text fragment', () => {
    const event = sampleEvent('channel.chat.message', '1');
    expect(editableFields(event)).toEqual(['userName', 'message']);
    const edited = applySampleEdits(event, { userName: 'Bob_Builder', message: '<img src=x>' });
    expect(edited).toMatchObject({ chatter_user_name: 'Bob_Builder', chatter_user_login: 'bob_builder' });
    expect(edited.message).toMatchObject({
      text: '<img src=x>',
      fragments: [{ type: 'text', text: '<img src=x>', cheermote: null, emote: null }],
    });
    expect(edited.broadcaster_user_name).toBe(event.broadcaster_user_name);
  });

  it('a cheer takes bits, a raid takes viewers and the raider; a field the type lacks changes nothing', () => {
    const cheer = sampleEvent('channel.cheer', '1');
    expect(editableFields(cheer)).toEqual(expect.arrayContaining(['bits', 'message']));
    expect(applySampleEdits(cheer, { bits: 500, viewers: 3 })).toEqual({ ...cheer, bits: 500 });
    const raid = sampleEvent('channel.raid', '1');
    expect(editableFields(raid)).toEqual(['userName', 'viewers']);
    expect(applySampleEdits(raid, { viewers: 42, userName: 'Raider' })).toMatchObject({
      viewers: 42,
      from_broadcaster_user_name: 'Raider',
      from_broadcaster_user_login: 'raider',
    });
  });

  it('every catalog sample can be listed and edited without throwing', () => {
    for (const entry of CATALOG) {
      const event = sampleEvent(entry.type, entry.version);
      const edited = applySampleEdits(event, { userName: 'X', bits: 1, viewers: 1, message: 'm' });
      expect(Object.keys(edited).sort()).toEqual(Object.keys(event).sort());
    }
  });
});
