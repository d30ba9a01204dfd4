import { pino, type Logger } from 'pino';

/**
 * Paths pino blanks out wherever they appear in a log object: secrets, tokens, signatures and
 * authorization headers. Wildcards cover nested config, request headers and sink options.
 */
export const REDACT_PATHS = [
  'secret',
  'secrets',
  '*.secret',
  '*.secrets',
  '*.*.secret',
  'password',
  '*.password',
  '*.*.password',
  'token',
  '*.token',
  'accessToken',
  '*.accessToken',
  'refreshToken',
  '*.refreshToken',
  'clientSecret',
  '*.clientSecret',
  '*.*.clientSecret',
  'authorization',
  '*.authorization',
  '*.headers.authorization',
  '*.headers["twitch-eventsub-message-signature"]',
  'headers["twitch-eventsub-message-signature"]',
  '*.headers["webhook-signature"]',
  'signature',
  '*.signature',
  'EVENTSUB_SECRET',
  'EVENTSUB_PREVIOUS_SECRETS',
  'FORWARD_SECRET',
  'TWITCH_CLIENT_SECRET',
  '*.EVENTSUB_SECRET',
  '*.FORWARD_SECRET',
  '*.TWITCH_CLIENT_SECRET',
];

export type { Logger };

/** The one logger factory: JSON lines on stdout (or `destination`), secrets redacted. */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { service: 'eventsub-relay' },
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return destination ? pino(options, destination) : pino(options);
}
