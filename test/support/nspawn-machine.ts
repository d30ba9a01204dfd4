import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { tempDir } from './temp-dir.js';
import { waitFor } from './wait-for.js';

/**
 * A throwaway container that boots this machine's own OS with systemd as PID 1 (systemd-nspawn --boot).
 *
 * Its root is a copy-on-write overlay of `/` (nspawn refuses `-D /`), so the host's /usr, node and
 * systemd are reused and nothing is downloaded; every write lands in a temp upper dir that is thrown
 * away. By default the container shares the host's network namespace, so a service that listens on
 * 127.0.0.1:<port> inside is reachable from the host; with `privateNetwork` it gets its own (only
 * loopback), so it can bind 80/443 without touching the host's and reaches nothing outside. There is no systemd on the host
 * (no machined), so the container is not registered and `machinectl`/`systemctl -M` cannot reach it:
 * commands run inside through `nsenter` into all of PID 1's namespaces, which is what `machinectl
 * shell` does. It boots to a tiny target that pulls only sysinit.target, so none of the host's
 * enabled services (postgres, nginx, redis…) start and fight over the shared ports.
 */
export interface NspawnMachine {
  /** The container's root as seen from the host (the merged overlay). */
  root: string;
  /** Runs a command inside the container; never throws, returns status and output. */
  exec(args: string[], timeoutMs?: number): ExecResult;
  /**
   * Like exec, without blocking the event loop: for commands that talk to servers living in this
   * process (a fake Twitch), which a spawnSync would deadlock.
   */
  execAsync(args: string[], timeoutMs?: number): Promise<ExecResult>;
  /** What the container printed on its console (boot and shutdown messages). */
  console(): string;
  /** Powers the container off (SIGTERM to nspawn, SIGKILL after 10 s), unmounts and deletes everything. */
  destroy(): Promise<void>;
}

/** Exit status (null if killed) and output of a command run inside the container. */
export interface ExecResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export interface NspawnOptions {
  /** Files written into the container's root before boot (path inside → content, mode). */
  files?: { path: string; content: string; mode?: number }[];
  /** Read-only bind mounts: host path → path inside. */
  bindReadOnly?: { host: string; inside: string }[];
  /** Bound on the boot (until `systemctl is-system-running --wait` answers). */
  bootTimeoutMs?: number;
  /** A network namespace of its own (systemd-nspawn --private-network): loopback only. */
  privateNetwork?: boolean;
}

const TARGET = 'eventsub-test.target';
const TARGET_UNIT = `[Unit]
Description=eventsub-relay test boot: sysinit only, nothing from multi-user.target
Requires=sysinit.target
After=sysinit.target
`;

/** Boots the container; on any failure it is torn down before the error is rethrown. */
export async function bootNspawnMachine(options: NspawnOptions = {}): Promise<NspawnMachine> {
  if (process.getuid?.() !== 0) {
    throw new Error(
      'booting systemd-nspawn needs root (mount -t overlay, namespaces); run the services tests as root',
    );
  }
  const dir = tempDir('eventsub-nspawn-');
  const upper = join(dir.path, 'upper');
  const work = join(dir.path, 'work');
  const root = join(dir.path, 'root');
  for (const path of [upper, work, root]) mkdirSync(path);
  const consolePath = join(dir.path, 'console.log');
  let mounted = false;
  let child: ChildProcess | undefined;
  let init = 0;
  // SIGKILL of the container's PID 1 kills everything in its PID namespace (nspawn alone would not).
  const killHard = () => {
    if (init) spawnSync('kill', ['-KILL', String(init)]);
    child?.kill('SIGKILL');
  };

  const destroy = async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child!.once('exit', resolve));
      child.kill('SIGTERM'); // nspawn turns this into a clean poweroff of the container's systemd
      const timer = setTimeout(killHard, 10_000);
      await exited;
      clearTimeout(timer);
    }
    if (mounted) {
      const r = spawnSync('umount', [root], { encoding: 'utf8' });
      if (r.status !== 0) spawnSync('umount', ['--lazy', root]);
    }
    dir.cleanup();
  };

  try {
    const mount = spawnSync(
      'mount',
      ['-t', 'overlay', 'overlay', '-o', `lowerdir=/,upperdir=${upper},workdir=${work}`, root],
      {
        encoding: 'utf8',
      },
    );
    if (mount.status !== 0) throw new Error(`mount -t overlay of / failed: ${mount.stderr.trim()}`);
    mounted = true;
    // An empty machine-id makes systemd generate a fresh one (else it equals the host's).
    const files = [
      { path: '/etc/machine-id', content: '', mode: 0o444 },
      { path: `/etc/systemd/system/${TARGET}`, content: TARGET_UNIT, mode: 0o644 },
      ...(options.files ?? []),
    ];
    for (const file of files) {
      const path = join(root, file.path);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, file.content, { mode: file.mode ?? 0o644 });
    }
    const binds = (options.bindReadOnly ?? []).flatMap(({ host, inside }) => {
      const target = join(root, inside);
      // nspawn needs a mount point of the same kind (file or directory) as the source.
      if (statSync(host).isDirectory()) mkdirSync(target, { recursive: true });
      else if (!existsSync(target)) {
        mkdirSync(dirname(target), { recursive: true });
        writeFileSync(target, '');
      }
      return [`--bind-ro=${host}:${inside}`];
    });
    const out = openSync(consolePath, 'w');
    child = spawn(
      'systemd-nspawn',
      [
        `--directory=${root}`,
        '--boot',
        '--register=no', // no machined on the host ("Failed to open system bus" otherwise)
        '--keep-unit',
        '--link-journal=no', // else "Host and machine ids are equal … refusing to link journals"
        '--quiet',
        ...(options.privateNetwork ? ['--private-network'] : []),
        ...binds,
        '--',
        `systemd.unit=${TARGET}`,
      ],
      { stdio: ['ignore', out, out] },
    );
    closeSync(out);
    // If jest itself is torn down (timeout, ^C) before destroy(), don't leave a container running.
    const onExit = () => {
      killHard();
      spawnSync('umount', ['--lazy', root]);
    };
    process.once('exit', onExit);
    child.once('exit', () => process.removeListener('exit', onExit));
    init = await findInit(child, options.bootTimeoutMs ?? 20_000, () => readFileSync(consolePath, 'utf8'));
    const exec: NspawnMachine['exec'] = (args, timeoutMs = 20_000) => {
      const r = spawnSync('nsenter', ['--target', String(init), '--all', '--', ...args], {
        encoding: 'utf8',
        timeout: timeoutMs,
      });
      return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
    };
    const execAsync: NspawnMachine['execAsync'] = (args, timeoutMs = 20_000) =>
      new Promise((resolve, reject) => {
        const run = spawn('nsenter', ['--target', String(init), '--all', '--', ...args]);
        let stdout = '';
        let stderr = '';
        run.stdout.on('data', (d) => (stdout += d));
        run.stderr.on('data', (d) => (stderr += d));
        const timer = setTimeout(() => run.kill('SIGKILL'), timeoutMs);
        run.on('error', reject);
        run.on('close', (status) => {
          clearTimeout(timer);
          resolve({ status, stdout, stderr });
        });
      });
    // Until systemd has created its private socket, systemctl fails with "Failed to connect to bus".
    let state = { status: null as number | null, stdout: '', stderr: '' };
    await waitFor(
      () => {
        state = exec(['systemctl', 'is-system-running', '--wait'], options.bootTimeoutMs ?? 20_000);
        return ['running', 'degraded'].includes(state.stdout.trim());
      },
      options.bootTimeoutMs ?? 20_000,
      'the container to finish booting',
    ).catch((error: Error) => {
      throw new Error(
        `${error.message} (${state.stdout.trim()} ${state.stderr.trim()})\n${readFileSync(consolePath, 'utf8')}`,
      );
    });
    return { root, exec, execAsync, console: () => readFileSync(consolePath, 'utf8'), destroy };
  } catch (error) {
    await destroy();
    throw error;
  }
}

/** The container's PID 1 (host PID): the child of nspawn that runs systemd. */
async function findInit(child: ChildProcess, timeoutMs: number, consoleText: () => string): Promise<number> {
  let init = 0;
  await waitFor(
    () => {
      if (child.exitCode !== null)
        throw new Error(`systemd-nspawn exited ${child.exitCode}:\n${consoleText()}`);
      init = childrenOf(child.pid!).find((pid) => readProc(pid, 'comm') === 'systemd') ?? 0;
      return init !== 0;
    },
    timeoutMs,
    'systemd to start as PID 1 in the container',
  );
  return init;
}

function childrenOf(pid: number): number[] {
  const tasks = readdirSafe(`/proc/${pid}/task`);
  return tasks.flatMap((task) =>
    (readProc(pid, `task/${task}/children`) ?? '').split(' ').filter(Boolean).map(Number),
  );
}

function readdirSafe(path: string): string[] {
  try {
    return readdirSync(path);
  } catch {
    return [];
  }
}

function readProc(pid: number, file: string): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'utf8').trim();
  } catch {
    return undefined; // the process went away between listing and reading
  }
}
