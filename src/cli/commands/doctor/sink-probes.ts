import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { Redis } from 'ioredis';
import { connect as connectNats } from 'nats';
import { request } from 'undici';
import { redactUrl, redactUrlsIn } from '../../../observability/redact-url.js';
import type { NatsSinkOptions } from '../../../sinks/nats-options.js';

/** A probe's verdict: reachable (and how it answered), or why not. */
export type ProbeResult = { ok: true; detail: string } | { ok: false; detail: string; fix: string };

/** An HTTP consumer answers at all (any status: a GET is not a delivery, so 401/405 are fine). */
export async function probeHttp(url: string, timeoutMs: number): Promise<ProbeResult> {
  try {
    const response = await request(url, { method: 'GET', signal: AbortSignal.timeout(timeoutMs) });
    await response.body.dump();
    return {
      ok: true,
      detail: `${redactUrl(url)} answers (HTTP ${response.statusCode} to a GET; deliveries are signed POSTs)`,
    };
  } catch (error) {
    return {
      ok: false,
      detail: `${redactUrl(url)} does not answer (${redactUrlsIn((error as Error).message)})`,
      fix: 'start the consumer, or fix the sink’s url; deliveries wait for it meanwhile (pending, then dead after the retry schedule)',
    };
  }
}

/** Redis answers PING with the sink's credentials. */
export async function probeRedis(
  options: { url: string; password?: string },
  timeoutMs: number,
): Promise<ProbeResult> {
  const redis = new Redis(options.url, {
    ...(options.password && { password: options.password }),
    lazyConnect: true,
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  redis.on('error', () => undefined); // reported below
  try {
    await redis.connect();
    await redis.ping();
    return { ok: true, detail: `${redactUrl(options.url)} answers PING` };
  } catch (error) {
    return {
      ok: false,
      detail: `${redactUrl(options.url)}: ${redactUrlsIn((error as Error).message)}`,
      fix: 'start Redis (`systemctl status redis-server`), or fix the sink’s url and password',
    };
  } finally {
    redis.disconnect();
  }
}

/** NATS accepts a connection with the sink's credentials. */
export async function probeNats(options: NatsSinkOptions, timeoutMs: number): Promise<ProbeResult> {
  const servers = [options.servers].flat();
  try {
    const connection = await connectNats({
      servers,
      ...(options.user && { user: options.user }),
      ...(options.pass && { pass: options.pass }),
      ...(options.token && { token: options.token }),
      name: 'eventsub-relay/doctor',
      timeout: timeoutMs,
      maxReconnectAttempts: 0,
    });
    await connection.close();
    return { ok: true, detail: `${servers.map(redactUrl).join(', ')} accepts a connection` };
  } catch (error) {
    return {
      ok: false,
      detail: `${servers.map(redactUrl).join(', ')}: ${redactUrlsIn((error as Error).message)}`,
      fix: 'start nats-server (with JetStream: -js), or fix the sink’s servers and credentials',
    };
  }
}

/** The file sink's file (relative paths are in DATA_DIR) can be appended to, or its folder written. */
export async function probeFile(path: string, dataDir: string): Promise<ProbeResult> {
  const full = isAbsolute(path) ? path : join(dataDir, path);
  for (const candidate of [full, dirname(full)]) {
    try {
      await access(candidate, constants.W_OK);
      return { ok: true, detail: `${full} is writable` };
    } catch {
      // the file may not exist yet: try its folder
    }
  }
  return {
    ok: false,
    detail: `${full} cannot be written`,
    fix: `give the service user write access to ${dirname(full)}`,
  };
}

/** The module sink's file exists (it is imported, and its code run, only by the relay). */
export async function probeModule(path: string): Promise<ProbeResult> {
  const full = isAbsolute(path) ? path : resolve(path);
  try {
    await access(full, constants.R_OK);
    return { ok: true, detail: `${full} exists` };
  } catch {
    return {
      ok: false,
      detail: `${full} is not there`,
      fix: 'fix the sink’s path (relative paths are from the relay’s working directory)',
    };
  }
}
