// Disk cost of storing events: bytes the relay process writes to storage per acknowledged event
// (/proc/<pid>/io write_bytes: the WAL, the checkpoints that copy it into the database, anything
// else it writes), over `events` distinct signed notifications sent as fast as it takes them.
import { sendAmount } from './load.mjs';
import { writeBytes } from './process-stats.mjs';

export async function diskCost(relay, { events, connections }) {
  const before = writeBytes(relay.child.pid);
  const window = await sendAmount(relay, '/callback', { connections, amount: events });
  // Let the deliveries recorded after the last 204 reach the disk too (they are part of the cost).
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const written = writeBytes(relay.child.pid) - before;
  return {
    events: window.ok,
    failed: window.failed,
    bytesPerEvent: written / window.ok,
    megabytesWritten: written / 1e6,
  };
}
