// CPU time and peak memory of a child process, read from /proc (Linux).
import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100; // getconf CLK_TCK on Linux

/** User + system CPU seconds used so far by `pid`. */
export function cpuSeconds(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND; // utime, stime
}

/** Peak resident set size (VmHWM) and current RSS in MiB. */
export function memoryMiB(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const read = (key) => Number(new RegExp(`${key}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0) / 1024;
  return { peakRss: read('VmHWM'), rss: read('VmRSS') };
}

/** Bytes `pid` has caused to be written to storage so far (/proc/<pid>/io write_bytes: WAL, checkpoints, files). */
export function writeBytes(pid) {
  return Number(/write_bytes:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/io`, 'utf8'))?.[1] ?? NaN);
}

/**
 * CPU seconds of each thread of `pid` so far, by thread id, with the thread's name (comm): the
 * main thread's id is the pid; libuv's pool threads are `libuv-worker`, V8's helpers `V8 …`,
 * worker threads carry the name they were given.
 */
export function threadCpuSeconds(pid) {
  const threads = new Map();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const fields = stat.slice(stat.lastIndexOf(') ') + 2).split(' ');
      threads.set(Number(tid), {
        name,
        seconds: (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND,
      });
    } catch {
      // the thread ended between the listing and the read
    }
  }
  return threads;
}

/**
 * CPU seconds per thread group between two `threadCpuSeconds` snapshots: `main` (the pid's own
 * thread), then one entry per thread name for the rest (threads that ended in between are lost,
 * which is why `total` comes from the process's own counters instead).
 */
export function threadGroupsBetween(pid, before, after) {
  const groups = new Map();
  for (const [tid, { name, seconds }] of after) {
    // Node 20 leaves its other threads named like the process ("node"): they form one group.
    const key = tid === pid ? 'main' : name === 'node' ? 'other threads' : name;
    groups.set(key, (groups.get(key) ?? 0) + seconds - (before.get(tid)?.seconds ?? 0));
  }
  return groups;
}

/** Busy CPU seconds of the whole machine so far (every core; /proc/stat's first line, less idle and iowait). */
export function machineBusySeconds() {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const [user, nice, system, , , irq, softirq, steal] = fields;
  return (user + nice + system + irq + softirq + steal) / TICKS_PER_SECOND;
}

/** CPU seconds of this process's children that have ended and been waited for (e.g. wrk runs). */
export function endedChildrenCpuSeconds() {
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
  return (Number(fields[13]) + Number(fields[14])) / TICKS_PER_SECOND; // cutime, cstime
}
