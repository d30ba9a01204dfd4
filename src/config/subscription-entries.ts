import { z } from 'zod';
import { ConfigError } from './errors.js';
import { eventTypeProblem, eventVersionProblem } from '../twitch/event-types.js';

/** One entry of the config file's `subscriptions:` list, as written by the user. */
export interface DesiredEntry {
  type: string;
  version?: string;
  broadcaster: string;
  condition: Record<string, string>;
}

const scalar = z.union([z.string(), z.number()]).transform(String);

const entrySchema = z
  .strictObject({
    type: z
      .string()
      .min(1, 'must name an EventSub type, e.g. channel.follow')
      .superRefine((type, ctx) => {
        const problem = eventTypeProblem(type);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      }),
    version: scalar.optional(),
    broadcaster: scalar.refine((s) => s.length > 0, 'must be a login or user id'),
    condition: z.record(z.string(), scalar).optional(),
  })
  .superRefine(({ type, version }, ctx) => {
    const problem = version === undefined ? undefined : eventVersionProblem(type, version);
    if (problem) ctx.addIssue({ code: 'custom', path: ['version'], message: problem });
  });

/** Validates `subscriptions:`; errors name the path, e.g. `subscriptions[1].type`. */
export function parseDesired(list: unknown[] | undefined): DesiredEntry[] {
  return (list ?? []).map((item, index) => {
    const result = entrySchema.safeParse(item);
    if (!result.success) {
      const issue = result.error.issues[0]!;
      const path = [`subscriptions[${index}]`, ...issue.path.map(String)].join('.');
      // An unknown type or version already says what to write; a shape problem gets the shape.
      const shape =
        issue.code === 'custom'
          ? ''
          : ' (expected { type, version?, broadcaster, condition? }, e.g. { type: channel.follow, broadcaster: mychannel })';
      throw new ConfigError(path, `${issue.message}${shape}`);
    }
    const { type, version, broadcaster, condition } = result.data;
    return { type, broadcaster, condition: condition ?? {}, ...(version !== undefined && { version }) };
  });
}
