#!/usr/bin/env node
// `npm run fuzz -- --minutes 30 [--seed N]`: the adversarial suite of test/fuzz for as long as asked.
// Each property gets its share of the time (npm test runs them for about a minute in all); a
// failure prints fast-check's seed and counterexample, and `--seed N` replays it.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: { minutes: { type: 'string', default: '30' }, seed: { type: 'string' } },
});
const minutes = Number(values.minutes);
if (!(minutes > 0)) {
  console.error(`--minutes must be a positive number of minutes, not "${values.minutes}"`);
  process.exit(2);
}
const jest = createRequire(import.meta.url).resolve('jest/bin/jest');
const child = spawn(process.execPath, [jest, '--selectProjects', 'unit', '--runInBand', 'test/fuzz'], {
  stdio: 'inherit',
  env: {
    ...process.env,
    NODE_OPTIONS: '--experimental-vm-modules --no-warnings=ExperimentalWarning',
    FUZZ_MINUTES: String(minutes),
    ...(values.seed && { FUZZ_SEED: values.seed }),
  },
});
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
