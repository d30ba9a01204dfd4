import http from 'node:http';

export interface RawAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

/**
 * POSTs with node:http exactly as a real client would: the whole body is written (with
 * Content-Length, or chunk by chunk with Transfer-Encoding: chunked), whatever the server answers
 * meanwhile. `keepAlive: false` sends `Connection: close` (no agent).
 */
export function rawPost(
  url: string,
  body: Buffer | Buffer[],
  options: { headers?: Record<string, string>; keepAlive?: boolean } = {},
): Promise<RawAnswer> {
  const chunked = Array.isArray(body);
  const headers: Record<string, string | number> = { ...options.headers };
  if (chunked) headers['Transfer-Encoding'] = 'chunked';
  else headers['Content-Length'] = body.length;
  return new Promise((resolve, reject) => {
    const req = http.request(url, {
      method: 'POST',
      headers,
      ...(options.keepAlive === false && { agent: false }),
    });
    req.on('error', reject);
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
      res.on('error', reject);
    });
    if (!chunked) {
      req.end(body);
      return;
    }
    for (const chunk of body) req.write(chunk);
    req.end();
  });
}
