// CPU time and peak memory of a child process, read from /proc (Linux).
import { readFileSync } from 'node:fs';

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
