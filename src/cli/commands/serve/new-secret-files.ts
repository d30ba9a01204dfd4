import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { FORWARD_SECRET_FILE, SECRET_FILE_NAME } from '../../../config/provision.js';
import { DASHBOARD_TOKEN_FILE } from '../../../config/dashboard-token.js';

/**
 * Notes which generated-secret files DATA_DIR already holds; `removeNew()` deletes those a failed
 * start created since, so the next start generates them afresh and no secret exists that nobody was
 * ever told about. Files that were there before are never touched.
 */
export function rememberSecretFiles(dataDir: string): { removeNew: () => void } {
  const paths = [SECRET_FILE_NAME, FORWARD_SECRET_FILE, DASHBOARD_TOKEN_FILE].map((name) =>
    join(dataDir, name),
  );
  const existed = new Set(paths.filter((path) => existsSync(path)));
  return {
    removeNew: () => {
      for (const path of paths) if (!existed.has(path)) rmSync(path, { force: true });
    },
  };
}
