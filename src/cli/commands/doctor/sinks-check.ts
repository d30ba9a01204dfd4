import { forwardSinkNames } from '../../../delivery/config/resolve-sinks.js';
import type { NatsSinkOptions } from '../../../sinks/nats-options.js';
import { findings, type Check, type Finding } from './check.js';
import { probeFile, probeHttp, probeModule, probeNats, probeRedis, type ProbeResult } from './sink-probes.js';

/** Every sink of the relay's configuration is reachable: the config file's and FORWARD_URL's. */
export const sinksCheck: Check = {
  id: 'sinks',
  title: 'sinks',
  hard: true,
  async run(state) {
    const f = findings(sinksCheck);
    const config = state.config;
    if (!config) return [f.skip('needs a valid configuration')];
    const { timeoutMs } = state.options;
    const probes: Array<{ name: string; kind: string; probe: () => Promise<ProbeResult> }> = config.sinks.map(
      (sink) => {
        const options = sink.options as Record<string, unknown>;
        const probe = (): Promise<ProbeResult> => {
          switch (sink.kind) {
            case 'http':
              return probeHttp(options.url as string, timeoutMs);
            case 'redis-stream':
              return probeRedis(options as { url: string; password?: string }, timeoutMs);
            case 'nats':
              return probeNats(options as NatsSinkOptions, timeoutMs);
            case 'file':
              return probeFile(options.path as string, config.dataDir);
            case 'module':
              return probeModule(options.path as string);
            case 'log':
              return Promise.resolve({ ok: true, detail: 'writes to the relay’s own log' });
            default:
              return Promise.resolve({ ok: true, detail: `kind ${sink.kind}: nothing to check from here` });
          }
        };
        return { name: sink.name, kind: sink.kind, probe };
      },
    );
    const forwardNames = forwardSinkNames(config.env.FORWARD_URL.length);
    config.env.FORWARD_URL.forEach((url, index) =>
      probes.push({ name: forwardNames[index]!, kind: 'http', probe: () => probeHttp(url, timeoutMs) }),
    );
    if (probes.length === 0) {
      return [f.ok('none configured: the relay writes each event to its log (the log sink)')];
    }
    const report: Finding[] = [];
    for (const { name, kind, probe } of probes) {
      const result = await probe();
      const part = { id: name, title: `sink ${name} (${kind})` };
      report.push(result.ok ? f.ok(result.detail, undefined, part) : f.fail(result.detail, result.fix, part));
    }
    return report;
  },
};
