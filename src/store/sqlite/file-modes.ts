import { chmodSync, closeSync, openSync } from 'node:fs';

/** The SQLite files hold every event: readable and writable by the relay's user only, like its secrets. */
const STORE_FILE_MODE = 0o600;

/** The database and the files SQLite keeps beside it. */
const SIDE_FILES = ['', '-wal', '-shm', '-journal'];

/**
 * Run before SQLite opens `path`: creates the database file with mode 0600 if it does not exist
 * (SQLite creates its -wal, -shm and -journal with the database file's mode, whatever the umask),
 * and sets an existing store's files — made 0644 by an older version, or copied in — to 0600.
 */
export function restrictStoreFiles(path: string): void {
  // 'a' creates the file if missing and never truncates one that exists: an empty file is a new database.
  closeSync(openSync(path, 'a', STORE_FILE_MODE));
  for (const suffix of SIDE_FILES) {
    try {
      chmodSync(path + suffix, STORE_FILE_MODE);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
}
