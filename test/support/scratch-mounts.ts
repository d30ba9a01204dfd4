import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { basename, join } from 'node:path';
import { tempDir } from './temp-dir.js';

/** Mounting needs root: the services tier runs as root (CI, the dev machines); say so plainly otherwise. */
function requireRoot(what: string): void {
  if (process.getuid?.() !== 0)
    throw new Error(`${what} needs root (it mounts a file system); run the services tier as root`);
}

const run = (command: string, args: string[]) => execFileSync(command, args, { stdio: 'pipe' }).toString();

/** A small file system of our own: `fill()` uses up every free byte (until ENOSPC), `free()` gives it back. */
export interface ScratchMount {
  path: string;
  fill(): void;
  free(): void;
  unmount(): void;
}

function fillerFor(path: string): Pick<ScratchMount, 'fill' | 'free'> {
  const filler = join(path, 'filler');
  return {
    fill() {
      const fd = openSync(filler, 'a');
      try {
        for (const size of [1024 * 1024, 4096, 1]) {
          const chunk = Buffer.alloc(size, 0x61);
          for (;;) {
            try {
              writeSync(fd, chunk);
            } catch (error) {
              if ((error as NodeJS.ErrnoException).code === 'ENOSPC') break;
              throw error;
            }
          }
        }
      } finally {
        closeSync(fd);
      }
    },
    free() {
      rmSync(filler, { force: true });
    },
  };
}

/** A tmpfs of `sizeMiB` on a fresh folder (owned by `owner`, e.g. `postgres`, when given). */
export function mountTmpfs(sizeMiB: number, owner?: string): ScratchMount {
  requireRoot('mountTmpfs');
  const dir = tempDir('eventsub-relay-tmpfs-');
  run('mount', ['-t', 'tmpfs', '-o', `size=${sizeMiB}m,mode=0700`, 'tmpfs', dir.path]);
  if (owner) run('chown', [`${owner}:${owner}`, dir.path]);
  return {
    path: dir.path,
    ...fillerFor(dir.path),
    unmount() {
      run('umount', ['--lazy', dir.path]);
      dir.cleanup();
    },
  };
}

/**
 * An ext4 file system in a loop-mounted image, mounted `errors=remount-ro` as a data disk usually
 * is: `breakDisk()` raises a file-system error (ext4's trigger_fs_error), after which the kernel
 * makes it read-only under the running relay, exactly as after a failing write. `repair()` is what
 * an operator then does: unmount, e2fsck, mount again read-write.
 */
export interface Ext4Disk {
  path: string;
  breakDisk(): void;
  readOnly(): boolean;
  repair(): void;
  unmount(): void;
}

export function mountExt4Image(sizeMiB: number): Ext4Disk {
  requireRoot('mountExt4Image');
  const dir = tempDir('eventsub-relay-ext4-');
  const image = join(dir.path, 'disk.img');
  const path = join(dir.path, 'mnt');
  mkdirSync(path);
  closeSync(openSync(image, 'w'));
  run('truncate', ['-s', `${sizeMiB}M`, image]);
  run('mkfs.ext4', ['-q', '-F', image]);
  const device = run('losetup', ['--find', '--show', image]).trim();
  const mount = () => run('mount', ['-o', 'errors=remount-ro', device, path]);
  mount();
  return {
    path,
    breakDisk: () => run('sh', ['-c', `echo relay-test > /sys/fs/ext4/${basename(device)}/trigger_fs_error`]),
    readOnly() {
      // After an error ext4 is "emergency_ro" while the mount still says rw: ask the file system.
      const probe = join(path, '.write-probe');
      try {
        closeSync(openSync(probe, 'w'));
        unlinkSync(probe);
        return false;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EROFS') return true;
        throw error;
      }
    },
    repair() {
      run('umount', [path]);
      try {
        run('e2fsck', ['-f', '-y', device]);
      } catch (error) {
        // Exit 1: errors were corrected, which is what we asked for.
        if ((error as { status?: number }).status !== 1) throw error;
      }
      mount();
    },
    unmount() {
      try {
        run('umount', [path]);
      } finally {
        run('losetup', ['--detach', device]);
        unlinkSync(image);
        dir.cleanup();
      }
    },
  };
}
