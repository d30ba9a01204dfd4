import type { CallbackDelivery } from './fake-twitch-callbacks.js';
import type { TriggerRequest } from './fake-twitch-trigger.js';

/**
 * `npm run fake-twitch -- --trigger <type>`: asks the fake running on `port` to send, waits for
 * every delivery (retries included) and prints each attempt. True when everything was delivered.
 */
export async function requestTrigger(port: number, request: TriggerRequest): Promise<boolean> {
  let response: Response;
  try {
    response = await fetch(`http://localhost:${port}/__fake/trigger`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(request),
      signal: AbortSignal.timeout(15 * 60_000),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
    process.stderr.write(
      `fake-twitch: no fake answers on port ${port} (${cause}): start it with npm run fake-twitch\n`,
    );
    return false;
  }
  const answer = (await response.json()) as { data?: CallbackDelivery[]; message?: string };
  if (!response.ok) {
    process.stderr.write(`fake-twitch: ${answer.message ?? `HTTP ${response.status}`}\n`);
    return false;
  }
  for (const d of answer.data ?? []) {
    const attempts = d.attempts.map((a) => a.status ?? a.error).join(', ');
    process.stdout.write(
      `${d.delivered ? '✔' : '✗'} ${d.messageType} ${d.type} ${d.messageId} → ${d.callback}: ${attempts}` +
        `${d.delivered ? '' : ' (not delivered)'}${d.revoked ? `; subscription revoked: ${d.revoked}` : ''}\n`,
    );
  }
  return (answer.data ?? []).every((d) => d.delivered);
}
