import fc, { check, defaultReportMessage } from 'fast-check';
import { allAnswered } from './raw-http.js';

/**
 * How long each property may run. `npm test` runs every property a fixed number of times (the
 * whole fuzz suite takes about a minute); `npm run fuzz -- --minutes 30` sets FUZZ_MINUTES and each
 * property then runs until its share of that time is used up. FUZZ_SEED replays a failing run
 * (fast-check prints the seed and the path of every counterexample).
 */
const longRunMinutes = Number(process.env.FUZZ_MINUTES ?? 0);
export const isLongRun = longRunMinutes > 0;

/** Seconds every property of the quick run gets at most, so the suite stays bounded on a slow machine. */
const QUICK_RUN_SECONDS = 60;

/**
 * Parameters for one property: `runs` in the quick run, `share` of the time budget (quick: of 60 s,
 * long: of FUZZ_MINUTES); a property that reaches its time limit stops there without failing.
 */
export function budget<T>(runs: number, share: number): fc.Parameters<T> {
  const seconds = (isLongRun ? longRunMinutes * 60 : QUICK_RUN_SECONDS) * share;
  return {
    numRuns: isLongRun ? Number.MAX_SAFE_INTEGER : runs,
    interruptAfterTimeLimit: seconds * 1000,
    markInterruptAsFailure: false,
    includeErrorInReport: true,
    ...(process.env.FUZZ_SEED && { seed: Number(process.env.FUZZ_SEED) }),
  };
}

/** Jest's timeout for a test running one property of this `share`: its time limit plus a margin. */
export function testTimeout(share: number): number {
  return ((isLongRun ? longRunMinutes * 60 : QUICK_RUN_SECONDS) * share + 30) * 1000;
}

/** In the long run, one line per property saying how many inputs it tried (the quick run stays quiet). */
export function report(name: string, details: fc.RunDetails<unknown>): void {
  if (isLongRun) process.stdout.write(`fuzz: ${name}: ${details.numRuns} inputs, seed ${details.seed}\n`);
}

/** Runs one property within its budget; throws fast-check's report (seed, counterexample) if it fails. */
export async function runProperty<Ts>(
  name: string,
  property: fc.IProperty<Ts> | fc.IAsyncProperty<Ts>,
  parameters: fc.Parameters<Ts>,
): Promise<void> {
  const details = await check(property, parameters);
  // A run interrupted at the time limit goes on in the background: let its requests finish first.
  await allAnswered();
  report(name, details as fc.RunDetails<unknown>);
  if (details.failed) throw new Error(defaultReportMessage(details));
}

/**
 * Counts answers by kind (`403 invalid_signature`, `204`, …). The long run prints the counts; the
 * quick run checks a property reached past the HTTP parser, so a generator that only ever produces
 * unparsable requests cannot pass for a fuzz suite.
 */
export class AnswerTally {
  private readonly counts = new Map<string, number>();

  add(kind: string): void {
    this.counts.set(kind, (this.counts.get(kind) ?? 0) + 1);
  }

  kinds(): string[] {
    return [...this.counts.keys()].sort();
  }

  print(name: string): void {
    if (!isLongRun) return;
    const sorted = [...this.counts.entries()].sort((a, b) => b[1] - a[1]);
    process.stdout.write(`fuzz: ${name}: ${sorted.map(([kind, n]) => `${kind} ×${n}`).join(', ')}\n`);
  }
}
