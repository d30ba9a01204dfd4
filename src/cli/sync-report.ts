import type { SyncPlanReport, SyncStepReport } from '../admin/operations.js';
import { describeStep, type PlanStep } from '../subscriptions/sync-plan.js';

/** A sync plan, ready to print or to apply. */
export interface SyncRun {
  report: SyncPlanReport;
  /** Makes the changes; `out` gets one line per change made. */
  apply(out: (line: string) => void): Promise<void>;
}

/** The closing line of a plan that will not be applied now (`--dry-run`, or nothing to do). */
export function planClosing(changes: number): string {
  return changes === 0
    ? 'nothing to do: Twitch already matches the config'
    : `${changes} change(s) planned; run without --dry-run to apply`;
}

/** The report of a plan: its heading, its step lines, and the text `sync --dry-run` prints. */
export function planReport(heading: string, steps: SyncStepReport[], changes: number): SyncPlanReport {
  const destructive = steps.filter((s) => s.action === 'delete' || s.action === 'recreate').length;
  const text = [heading, ...steps.map((s) => `  ${s.line}`), planClosing(changes)].join('\n') + '\n';
  return { heading, steps, changes, destructive, text };
}

/** One plan step as the report shows it. */
export function stepReport(step: PlanStep): SyncStepReport {
  const sub = step.action === 'delete' ? step.existing : step.wanted;
  return {
    action: step.action,
    type: sub.type,
    version: sub.version,
    condition: sub.condition,
    line: describeStep(step),
    ...(step.action !== 'create' && { existingId: step.existing.id, status: step.existing.status }),
  };
}
