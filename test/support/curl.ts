import { spawn } from 'node:child_process';

/** Result of one curl run: exit code, the -w summary, body and stderr. */
export interface CurlResult {
  code: number;
  status: number;
  body: string;
  stderr: string;
}

/**
 * Runs curl (bounded to 10 s) and returns status and body. `-w` appends the status code after a
 * marker so the body can be split off without a temp file.
 */
export function curl(args: string[], input?: string): Promise<CurlResult> {
  return new Promise((resolve, reject) => {
    const marker = '\n__STATUS__';
    const child = spawn('curl', ['-sS', '--max-time', '10', '-w', `${marker}%{http_code}`, ...args]);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const at = stdout.lastIndexOf(marker);
      const body = at >= 0 ? stdout.slice(0, at) : stdout;
      const status = at >= 0 ? Number(stdout.slice(at + marker.length)) : 0;
      resolve({ code: code ?? -1, status, body, stderr });
    });
    child.stdin.end(input ?? '');
  });
}
