import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { sampleEvent } from '../../src/twitch/samples/index.js';
import { fixture } from './sign.js';

const here = dirname(fileURLToPath(import.meta.url));
export const OUTPUT_DIR = join(here, '..', '..', 'test-output');

/** Debian's chromium with the standard flags, sound allowed without a click (as OBS does). */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--autoplay-policy=no-user-gesture-required',
];

export function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: [...CHROMIUM_ARGS, ...extraArgs] });
}

/** What the page did, recorded from inside it: each alert shown, each play() of a sound. */
export interface PageRecord {
  shown: { id: string; title: string; message: string; kind: string; image: string | null }[];
  played: string[];
}

/**
 * Records every alert the page shows (each change of body[data-alert]) and every play() of an
 * audio element, before the page's own script runs.
 */
export async function recordAlerts(page: Page): Promise<void> {
  await page.addInitScript(RECORDER);
}

/** Runs in the page (as text: the tests are compiled without the DOM's types). */
const RECORDER = `
  const record = { shown: [], played: [] };
  window.__alerts = record;
  const play = HTMLMediaElement.prototype.play;
  HTMLMediaElement.prototype.play = function () {
    record.played.push(this.src);
    return play.call(this);
  };
  document.addEventListener('DOMContentLoaded', () => {
    new MutationObserver(() => {
      const id = document.body.dataset.alert;
      if (!id) return;
      const card = document.getElementById('alert');
      const image = card.querySelector('img');
      record.shown.push({
        id,
        title: card.querySelector('.alert-title').textContent,
        message: card.querySelector('.alert-message').textContent,
        kind: card.className,
        image: image.hidden ? null : image.getAttribute('src'),
      });
    }).observe(document.body, { attributes: true, attributeFilter: ['data-alert'] });
  });
`;

export const pageRecord = (page: Page): Promise<PageRecord> => page.evaluate('window.__alerts');

/** Waits until the page is connected to its alert queue. */
export async function openOverlay(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.waitForSelector('body[data-state="connected"]', { timeout: 15_000 });
}

export function screenshotPath(name: string): string {
  mkdirSync(OUTPUT_DIR, { recursive: true });
  return join(OUTPUT_DIR, name);
}

/** A notification body for `type` with its documented sample event (and `changes` to it). */
export function samplePayload(type: string, version: string, changes: Record<string, unknown> = {}) {
  const { subscription } = fixture('notification.channel.follow.v2.json') as {
    subscription: Record<string, unknown>;
  };
  return {
    subscription: { ...subscription, type, version, condition: { broadcaster_user_id: '1337' } },
    event: { ...sampleEvent(type, version), ...changes },
  };
}
