import type { Check, DoctorState, Finding } from './check.js';

/** The text meant for a person from any error (our errors carry it as `userMessage`). */
export function messageOf(error: unknown): string {
  const userMessage = (error as { userMessage?: unknown } | null)?.userMessage;
  if (typeof userMessage === 'string') return userMessage;
  return error instanceof Error ? error.message : String(error);
}

/**
 * Runs the checks in order (later ones build on what earlier ones found, see DoctorState); a check
 * that throws is one failed finding with the error's message, never the end of the report. A check
 * that hangs is cut off after `limitMs`.
 */
export async function runChecks(
  checks: readonly Check[],
  state: DoctorState,
  limitMs: number,
): Promise<Finding[]> {
  const report: Finding[] = [];
  for (const check of checks) {
    let timer: NodeJS.Timeout | undefined;
    const cutOff = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${limitMs} ms`)), limitMs);
    });
    try {
      report.push(...(await Promise.race([check.run(state), cutOff])));
    } catch (error) {
      report.push({
        id: check.id,
        title: check.title,
        status: 'fail',
        detail: messageOf(error),
        hard: check.hard,
      });
    } finally {
      clearTimeout(timer);
    }
  }
  return report;
}

/** Exit code: 0 only when no hard check failed. */
export function exitCodeOf(report: readonly Finding[]): number {
  return report.some((finding) => finding.hard && finding.status === 'fail') ? 1 : 0;
}
