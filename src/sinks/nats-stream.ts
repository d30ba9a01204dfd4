import { nanos, StorageType, type NatsConnection } from 'nats';
import type { NatsSinkOptions } from './nats.js';

/**
 * Creates the JetStream stream for `<subjectPrefix>.>` if it does not exist (only when the sink says
 * `createStream: true`; we never create broker state silently). An existing stream is left as it is.
 */
export async function ensureStream(
  connection: NatsConnection,
  options: Pick<NatsSinkOptions, 'stream' | 'subjectPrefix' | 'duplicateWindowMs'>,
  log: (message: string) => void,
): Promise<void> {
  const manager = await connection.jetstreamManager();
  try {
    await manager.streams.info(options.stream);
    log(`JetStream stream ${options.stream} exists; using it as it is`);
    return;
  } catch (error) {
    if ((error as { code?: string }).code !== '404') throw error;
  }
  await manager.streams.add({
    name: options.stream,
    subjects: [`${options.subjectPrefix}.>`],
    storage: StorageType.File,
    duplicate_window: nanos(options.duplicateWindowMs),
  });
  log(
    `created JetStream stream ${options.stream} for ${options.subjectPrefix}.> ` +
      `(file storage, duplicate window ${options.duplicateWindowMs} ms) because createStream is true`,
  );
}
