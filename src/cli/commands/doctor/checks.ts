import { backlogCheck } from './backlog-check.js';
import { challengeCheck } from './challenge-check.js';
import type { Check } from './check.js';
import { configCheck } from './config-check.js';
import { dnsCheck } from './dns-check.js';
import { helixCheck } from './helix-check.js';
import { secretCheck } from './secret-check.js';
import { sinksCheck } from './sinks-check.js';
import { storeCheck } from './store-check.js';
import { tlsCheck } from './tls-check.js';
import { tokensCheck } from './tokens-check.js';
import { twitchAppCheck } from './twitch-app-check.js';
import { websocketCheck } from './websocket-check.js';
import { conduitCheck } from './conduit-check.js';

/** Every hop in the order an event travels it, after what the relay itself needs to run. */
export function allChecks(env: NodeJS.ProcessEnv): Check[] {
  return [
    configCheck(env),
    storeCheck,
    secretCheck,
    twitchAppCheck,
    tokensCheck,
    dnsCheck,
    tlsCheck,
    challengeCheck,
    websocketCheck,
    conduitCheck,
    helixCheck,
    sinksCheck,
    backlogCheck,
  ];
}
