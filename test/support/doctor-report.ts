import type { Finding } from '../../src/cli/commands/doctor/check.js';

/** What `eventsub-relay doctor --json` prints. */
export interface DoctorReport {
  ok: boolean;
  checks: Finding[];
}

/** The JSON report of one doctor run, or an error that shows what it printed instead. */
export function parseDoctorReport(result: {
  code: number | null;
  stdout: string;
  stderr: string;
}): DoctorReport {
  try {
    return JSON.parse(result.stdout) as DoctorReport;
  } catch {
    throw new Error(`doctor printed no JSON (exit ${result.code}):\n${result.stdout}\n${result.stderr}`);
  }
}

/** The finding with this id; a missing one fails with the ids there are. */
export function findingOf(report: DoctorReport, id: string): Finding {
  const found = report.checks.find((check) => check.id === id);
  if (!found) throw new Error(`no finding ${id} in ${report.checks.map((c) => c.id).join(', ')}`);
  return found;
}

/** Every finding that is not ✔. */
export const findingsNotOk = (report: DoctorReport): Finding[] =>
  report.checks.filter((check) => check.status !== 'ok');
