import { isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../config/errors.js';
import { issueError } from '../config/zod-issues.js';
import { eventTypeProblem } from '../twitch/event-types.js';
import { DEFAULT_RULES, type DefaultRule } from './default-rules.js';
import { PLACEHOLDERS, type Placeholder } from './event-fields.js';
import {
  compileTemplate,
  MAX_MESSAGE_CHARS,
  MAX_TITLE_CHARS,
  templateProblem,
  type Template,
} from './template.js';

/** Where the files named by `image:`, `sound:` and `stylesheet:` are served from. */
export const MEDIA_PATH = '/overlay/media/';

/** The numeric fields a threshold (`min:`, `max:`) may test. */
const NUMERIC = ['amount', 'months', 'streak', 'viewers', 'level', 'total', 'progress', 'goal'] as const;

const DEFAULT_DURATION_MS = 6000;
const DEFAULT_GAP_MS = 600;
const DEFAULT_VOLUME = 0.8;

/** One rule, ready to match and render. */
export interface AlertRule {
  /** `alerts.rules[2]`, or `default` for a built-in one: named in logs and the API. */
  source: string;
  type: string;
  min: Partial<Record<Placeholder, number>>;
  max: Partial<Record<Placeholder, number>>;
  /** A channel-points reward title (compared without case); undefined matches any. */
  reward?: string;
  /** false: events this rule matches give no alert. */
  show: boolean;
  /** The card's CSS class `alert-<kind>`; undefined: the event's (follow, sub, cheer, …). */
  kind?: string;
  title: Template;
  message: Template;
  durationMs: number;
  image?: string;
  sound?: string;
  volume: number;
  style: Readonly<Record<string, string>>;
}

/** The validated `alerts:` section. */
export interface AlertSettings {
  /** The streams that get an alert queue and page; undefined: every configured stream. */
  streams?: string[];
  /** The folder served at /overlay/media/ (image, sound and stylesheet files). */
  mediaDir: string;
  /** URL of the user stylesheet, loaded after the page's own. */
  stylesheet?: string;
  /** CSS custom properties for every card (`--alert-background: …`). */
  style: Readonly<Record<string, string>>;
  gapMs: number;
  /** The file's rules, then (unless `defaults: false`) the built-in ones; the first match wins. */
  rules: AlertRule[];
}

/** `6s`, `1500ms`, `1.5s` or a number of milliseconds. */
const durationSchema = z.union([
  z.number().int().min(100).max(300_000),
  z
    .string()
    .regex(/^\d+(\.\d+)?\s*(ms|s)$/, 'must be milliseconds (6000) or a duration such as "6s" or "1500ms"')
    .transform((text) => {
      const value = Number.parseFloat(text);
      return Math.round(text.endsWith('ms') ? value : value * 1000);
    })
    .pipe(z.number().int().min(100, 'must be at least 100ms').max(300_000, 'must be at most 5 minutes')),
]);

/**
 * A file in the media folder: a relative path without `..`, so no rule can serve a file outside
 * it. URLs are refused too: the page loads only from the relay (its CSP allows nothing else).
 */
const mediaFileSchema = z
  .string()
  .min(1)
  .max(200)
  .refine(
    (path) => !/^[a-z][a-z0-9+.-]*:/i.test(path),
    'must be a file in the media folder, not a URL (put the file in alerts.media)',
  )
  .refine(
    (path) =>
      !isAbsolute(path) &&
      !path.includes('\\') &&
      !path.split('/').some((part) => part === '..' || part === ''),
    'must be a path inside the media folder (alerts.media), such as "cheer.gif" or "sounds/ding.mp3": no "..", no leading "/"',
  )
  .refine((path) => !path.split('/').some((part) => part.startsWith('.')), 'must not name a hidden file');

/** CSS custom properties only; a value cannot end the declaration or open a block. */
const styleSchema = z
  .record(
    z
      .string()
      .regex(/^--[a-z0-9-]{1,60}$/i, 'style keys are CSS custom properties such as --alert-background'),
    z
      .union([z.string(), z.number()])
      .transform(String)
      .pipe(
        z
          .string()
          .max(300)
          .regex(/^[^;{}<>\\]*$/, 'a style value must not contain ; { } < > or \\'),
      ),
  )
  .default({});

const thresholdSchema = z
  .strictObject(
    Object.fromEntries(NUMERIC.map((name) => [name, z.number().optional()])) as Record<
      (typeof NUMERIC)[number],
      z.ZodOptional<z.ZodNumber>
    >,
  )
  .default({});

const templateSchema = z
  .string()
  .max(500)
  .superRefine((template, ctx) => {
    const problem = templateProblem(template);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

const ruleSchema = z.strictObject({
  type: z.string().superRefine((type, ctx) => {
    const problem = eventTypeProblem(type);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  }),
  min: thresholdSchema,
  max: thresholdSchema,
  reward: z.string().min(1).optional(),
  show: z.boolean().default(true),
  kind: z
    .string()
    .regex(
      /^[a-z0-9][a-z0-9-]{0,40}$/i,
      'must be letters, digits and - (it becomes the CSS class alert-<kind>)',
    )
    .optional(),
  title: templateSchema.optional(),
  message: templateSchema.optional(),
  duration: durationSchema.optional(),
  image: mediaFileSchema.optional(),
  sound: mediaFileSchema.optional(),
  volume: z.number().min(0).max(1).optional(),
  style: styleSchema,
});

const alertsSchema = z.strictObject({
  streams: z.array(z.string().min(1)).optional(),
  media: z.string().min(1).optional(),
  stylesheet: mediaFileSchema.refine((path) => path.endsWith('.css'), 'must be a .css file').optional(),
  style: styleSchema,
  duration: durationSchema.optional(),
  gap: z.union([z.literal(0), durationSchema]).optional(),
  volume: z.number().min(0).max(1).optional(),
  defaults: z.boolean().default(true),
  rules: z.array(z.unknown()).default([]),
});

const mediaUrl = (file: string) => MEDIA_PATH + file.split('/').map(encodeURIComponent).join('/');

function fromDefault(rule: DefaultRule, durationMs: number | undefined, volume: number): AlertRule {
  return {
    source: 'default',
    type: rule.type,
    min: rule.min ?? {},
    max: {},
    show: true,
    title: compileTemplate(rule.title, MAX_TITLE_CHARS),
    message: compileTemplate(rule.message, MAX_MESSAGE_CHARS),
    durationMs: durationMs ?? rule.duration ?? DEFAULT_DURATION_MS,
    image: rule.image,
    sound: rule.sound,
    volume,
    style: {},
  };
}

/** The built-in catch-all rule of a type (its texts are what a file rule without title/message gets). */
const defaultTexts = (type: string) =>
  [...DEFAULT_RULES].reverse().find((rule) => rule.type === type && !rule.min);

/**
 * Validates the config file's `alerts:` mapping (absent: the defaults) into rules; creates nothing.
 * `streamNames` are the configured streams, which `alerts.streams` must name.
 */
export function parseAlerts(
  value: unknown,
  { dataDir, streamNames }: { dataDir: string; streamNames: readonly string[] },
): AlertSettings {
  const path = 'alerts';
  if (value !== undefined && (typeof value !== 'object' || value === null || Array.isArray(value)))
    throw new ConfigError(path, 'must be a mapping (e.g. `alerts: { rules: [...] }`)');
  const parsed = alertsSchema.safeParse(value ?? {});
  if (!parsed.success) throw issueError(path, parsed.error.issues[0], [alertsSchema]);
  const settings = parsed.data;
  for (const [index, name] of (settings.streams ?? []).entries()) {
    if (!streamNames.includes(name))
      throw new ConfigError(
        `${path}.streams[${index}]`,
        `"${name}" is not a configured stream (streams: ${streamNames.join(', ') || 'none; add a `streams:` entry'})`,
      );
  }
  const durationMs = settings.duration ?? DEFAULT_DURATION_MS;
  const volume = settings.volume ?? DEFAULT_VOLUME;
  const rules = settings.rules.map((entry, index) =>
    parseRule(entry, `${path}.rules[${index}]`, durationMs, volume),
  );
  checkReachable(rules, `${path}.rules`);
  // `alerts.duration` is every built-in rule's duration too; unset, a raid or hype train shows longer.
  if (settings.defaults)
    rules.push(...DEFAULT_RULES.map((rule) => fromDefault(rule, settings.duration, volume)));
  return {
    ...(settings.streams && { streams: settings.streams }),
    mediaDir: settings.media ? resolve(settings.media) : resolve(dataDir, 'alerts'),
    ...(settings.stylesheet && { stylesheet: mediaUrl(settings.stylesheet) }),
    style: settings.style,
    gapMs: settings.gap ?? DEFAULT_GAP_MS,
    rules,
  };
}

function parseRule(entry: unknown, path: string, durationMs: number, volume: number): AlertRule {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry))
    throw new ConfigError(path, 'must be a mapping with at least `type` (e.g. `- type: channel.follow`)');
  const parsed = ruleSchema.safeParse(entry);
  if (!parsed.success) throw issueError(path, parsed.error.issues[0], [ruleSchema]);
  const rule = parsed.data;
  const texts = defaultTexts(rule.type);
  return {
    source: path,
    type: rule.type,
    min: rule.min,
    max: rule.max,
    ...(rule.reward !== undefined && { reward: rule.reward.toLowerCase() }),
    show: rule.show,
    ...(rule.kind !== undefined && { kind: rule.kind }),
    title: compileTemplate(rule.title ?? texts?.title ?? '{user}', MAX_TITLE_CHARS),
    message: compileTemplate(rule.message ?? texts?.message ?? '{message}', MAX_MESSAGE_CHARS),
    durationMs: rule.duration ?? durationMs,
    ...((rule.image ?? texts?.image) !== undefined && {
      image: rule.image ? mediaUrl(rule.image) : texts!.image,
    }),
    ...((rule.sound ?? texts?.sound) !== undefined && {
      sound: rule.sound ? mediaUrl(rule.sound) : texts!.sound,
    }),
    volume: rule.volume ?? volume,
    style: rule.style,
  };
}

const isCatchAll = (rule: AlertRule) =>
  Object.keys(rule.min).length === 0 && Object.keys(rule.max).length === 0 && rule.reward === undefined;

/** A rule below a catch-all rule of its type would never match: a mistake in the order, said at start. */
function checkReachable(rules: readonly AlertRule[], path: string): void {
  rules.forEach((rule, index) => {
    const earlier = rules.slice(0, index).findIndex((other) => other.type === rule.type && isCatchAll(other));
    if (earlier >= 0)
      throw new ConfigError(
        `${path}[${index}]`,
        `never matches: ${path}[${earlier}] above it matches every ${rule.type} (the first matching rule wins; put the more specific rule first)`,
      );
  });
}

export { PLACEHOLDERS };
