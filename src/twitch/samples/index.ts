import { AUTOMOD_SAMPLES } from './automod.js';
import { CHANNEL_POINTS_SAMPLES } from './channel-points.js';
import { CHANNEL_SAMPLES } from './channel.js';
import { CHAT_SAMPLES } from './chat.js';
import { MODERATION_SAMPLES } from './moderation.js';
import { MONETIZATION_SAMPLES } from './monetization.js';
import { PLATFORM_SAMPLES } from './platform.js';
import { POLL_SAMPLES } from './polls.js';
import { DEFAULT_SAMPLE_CONTEXT, type EventSample, type SampleContext } from './sample-kit.js';

export { DEFAULT_SAMPLE_CONTEXT, type SampleContext } from './sample-kit.js';

/** `type@version` → a sample event, for every type/version of the catalog (a test holds it to that). */
export const SAMPLES: Readonly<Record<string, EventSample>> = {
  ...AUTOMOD_SAMPLES,
  ...CHANNEL_POINTS_SAMPLES,
  ...CHANNEL_SAMPLES,
  ...CHAT_SAMPLES,
  ...MODERATION_SAMPLES,
  ...MONETIZATION_SAMPLES,
  ...PLATFORM_SAMPLES,
  ...POLL_SAMPLES,
};

/** Thrown when the catalog has a type/version that no sample covers (a gap in this table). */
export class MissingSampleError extends Error {
  readonly userMessage: string;
  constructor(type: string, version: string) {
    super(`no sample event for ${type} v${version}; trigger another type, or add one in src/twitch/samples/`);
    this.userMessage = this.message;
  }
}

/** The sample event of this type and version, for the given broadcaster / client id. */
export function sampleEvent(
  type: string,
  version: string,
  context: Partial<SampleContext> = {},
): Record<string, unknown> {
  const sample = SAMPLES[`${type}@${version}`];
  if (!sample) throw new MissingSampleError(type, version);
  return sample({ ...DEFAULT_SAMPLE_CONTEXT, ...context });
}
