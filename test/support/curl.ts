import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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

/** A curl result with the final response's headers (lower-case names) parsed out. */
export interface CurlResponse extends CurlResult {
  headers: Record<string, string>;
}

/**
 * Like `curl`, but also returns the headers of the final response (`-D -`; interim 1xx
 * responses such as `100 Continue` are skipped). The body goes through a temp file.
 */
export async function curlWithHeaders(args: string[], input?: string): Promise<CurlResponse> {
  const dir = mkdtempSync(join(tmpdir(), 'eventsub-curl-'));
  try {
    const bodyFile = join(dir, 'body');
    const res = await curl(['-D', '-', '-o', bodyFile, ...args], input);
    const blocks = res.body.split(/\r?\n\r?\n/).filter((block) => /^HTTP\//.test(block));
    const last = blocks.at(-1) ?? '';
    const headers: Record<string, string> = {};
    for (const line of last.split(/\r?\n/).slice(1)) {
      const at = line.indexOf(':');
      if (at > 0) headers[line.slice(0, at).trim().toLowerCase()] = line.slice(at + 1).trim();
    }
    const body = existsSync(bodyFile) ? readFileSync(bodyFile, 'utf8') : '';
    return { ...res, headers, body };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
