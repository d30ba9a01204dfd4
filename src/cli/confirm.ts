import { createInterface } from 'node:readline/promises';
import { AuthSetupError } from '../auth/auth-errors.js';

/**
 * Asks "question [y/N]" on a terminal. With `yes` it proceeds without asking; without a terminal
 * (scripts, CI) it refuses rather than deleting silently, and says to pass --yes.
 */
export async function confirm(question: string, yes: boolean | undefined): Promise<boolean> {
  if (yes) return true;
  if (!process.stdin.isTTY) {
    throw new AuthSetupError(
      `${question} — refusing without confirmation because stdin is not a terminal; pass --yes to confirm`,
    );
  }
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(`${question} [y/N] `);
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}
