import { forwardSinkNames } from '../../../delivery/config/resolve-sinks.js';
import { findings, type Check, type Finding } from './check.js';
import { formatDuration } from './tokens-check.js';

/** A pending delivery older than this means its sink is failing (retries are minutes apart at first). */
const STALE_PENDING_MS = 15 * 60_000;

/** Per sink with deliveries: how many are pending (and since when) and how many are dead. */
export const backlogCheck: Check = {
  id: 'deliveries',
  title: 'deliveries',
  hard: false,
  async run(state) {
    const f = findings(backlogCheck);
    const store = state.store;
    const config = state.config;
    if (!store || !config) return [f.skip('needs the store')];
    const listed = [...config.sinks.map((s) => s.name), ...forwardSinkNames(config.env.FORWARD_URL.length)];
    const configured = listed.length > 0 ? listed : ['log']; // the default sink
    const names = [...new Set([...configured, ...(await store.listSinks())])].sort();
    const report: Finding[] = [];
    for (const row of await store.deliveryBacklog(names)) {
      if (row.pending === 0 && row.dead === 0) continue;
      const part = { id: row.sink, title: `deliveries to ${row.sink}` };
      const age = row.oldestPendingReceivedAt ? Date.now() - row.oldestPendingReceivedAt.getTime() : 0;
      const pending =
        row.pending > 0 ? `${row.pending} pending (the oldest for ${formatDuration(age)})` : 'none pending';
      const dead = `${row.dead} dead`;
      if (!configured.includes(row.sink)) {
        report.push(
          f.warn(
            `${pending}, ${dead}; no sink of that name is configured any more, so nothing delivers them`,
            `add the sink back to deliver them, or leave them to retention`,
            part,
          ),
        );
      } else if (row.dead > 0) {
        report.push(
          f.warn(
            `${pending}, ${dead}: they used up their retry schedule`,
            `see why: \`eventsub-relay events dead --sink ${row.sink}\`; once the sink works: \`eventsub-relay events replay --status dead --sink ${row.sink}\``,
            part,
          ),
        );
      } else if (age > STALE_PENDING_MS) {
        report.push(
          f.warn(
            `${pending}: the sink has been failing for a while`,
            `see the attempts: \`eventsub-relay events list --sink ${row.sink} --status pending\`, then \`events show <id>\``,
            part,
          ),
        );
      } else {
        report.push(f.ok(`${pending}, ${dead}`, undefined, part));
      }
    }
    if (report.length === 0)
      return [
        f.ok(`nothing pending, nothing dead (${names.length} ${names.length === 1 ? 'sink' : 'sinks'})`),
      ];
    return report;
  },
};
