/**
 * The fields of a sample event a person edits before sending it (the dashboard's Test page): who
 * acted, how many bits, how many viewers, what they wrote. Each names the event keys it writes, in
 * the order Twitch's payloads use them; a sample that has none of a field's keys does not offer it.
 */
export interface SampleEdits {
  userName?: string;
  bits?: number;
  viewers?: number;
  message?: string;
}

export type EditableField = keyof SampleEdits;

/** The acting user's display name in each type's event (raids: the raider; chat: the chatter). */
const USER_PREFIXES = ['user', 'chatter_user', 'from_broadcaster_user', 'requester_user'];
const BITS_KEYS = ['bits'];
const VIEWER_KEYS = ['viewers', 'viewer_count'];
const MESSAGE_KEYS = ['message', 'user_input'];

/** Which of the editable fields this sample event has. */
export function editableFields(event: Record<string, unknown>): EditableField[] {
  const fields: EditableField[] = [];
  if (USER_PREFIXES.some((p) => typeof event[`${p}_name`] === 'string')) fields.push('userName');
  if (BITS_KEYS.some((k) => typeof event[k] === 'number')) fields.push('bits');
  if (VIEWER_KEYS.some((k) => typeof event[k] === 'number')) fields.push('viewers');
  if (MESSAGE_KEYS.some((k) => isMessage(event[k]))) fields.push('message');
  return fields;
}

function isMessage(value: unknown): boolean {
  return (
    typeof value === 'string' ||
    (typeof value === 'object' && value !== null && typeof (value as { text?: unknown }).text === 'string')
  );
}

/** A copy of `event` with the edits written into the keys it has (login follows the name, lowercased). */
export function applySampleEdits(
  event: Record<string, unknown>,
  edits: SampleEdits,
): Record<string, unknown> {
  const edited: Record<string, unknown> = { ...event };
  if (edits.userName !== undefined) {
    for (const prefix of USER_PREFIXES) {
      if (typeof edited[`${prefix}_name`] !== 'string') continue;
      edited[`${prefix}_name`] = edits.userName;
      if (typeof edited[`${prefix}_login`] === 'string')
        edited[`${prefix}_login`] = edits.userName.toLowerCase();
    }
  }
  for (const key of BITS_KEYS)
    if (edits.bits !== undefined && typeof edited[key] === 'number') edited[key] = edits.bits;
  for (const key of VIEWER_KEYS)
    if (edits.viewers !== undefined && typeof edited[key] === 'number') edited[key] = edits.viewers;
  if (edits.message !== undefined) {
    for (const key of MESSAGE_KEYS) {
      const value = edited[key];
      if (typeof value === 'string') edited[key] = edits.message;
      else if (isMessage(value))
        // A chat message is its text and the fragments it is made of: one text fragment now.
        edited[key] = {
          ...(value as Record<string, unknown>),
          text: edits.message,
          ...('fragments' in (value as object) && {
            fragments: [{ type: 'text', text: edits.message, cheermote: null, emote: null }],
          }),
          ...('emotes' in (value as object) && { emotes: [] }),
        };
    }
  }
  return edited;
}
