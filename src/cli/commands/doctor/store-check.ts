import { openStore } from '../../../store/open-store.js';
import { storeSizeBytes } from '../../../store/store-presence.js';
import { describeStore } from '../../startup-line.js';
import { storeExists } from '../../open-cli-store.js';
import { findings, type Check, type InspectedConfig } from './check.js';
import { messageOf } from './runner.js';

/** Bytes for people: 1.2 MiB. */
function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

/** The store exists (doctor never creates one), takes writes, and how big it is. */
export const storeCheck: Check = {
  id: 'store',
  title: 'store',
  hard: true,
  async run(state) {
    const f = findings(storeCheck);
    const config = state.config;
    if (!config) return [f.skip('needs a valid configuration')];
    const where = describeStore(config.storeUrl);
    const location = {
      storeUrl: config.storeUrl,
      dataDir: config.dataDir,
      fromStoreUrl: config.fromStoreUrl,
    };
    if (!(await storeExists(location))) {
      const origin = config.fromStoreUrl ? 'STORE_URL' : `DATA_DIR=${config.dataDir}, STORE_URL unset`;
      return [
        f.fail(
          `no eventsub-relay store at ${where} (${origin}): no relay has stored anything there (doctor created nothing)`,
          startHint(config),
        ),
      ];
    }
    state.store = await openStore(config.storeUrl);
    try {
      await state.store.checkWritable();
    } catch (error) {
      return [
        f.fail(
          `${where} cannot take writes (${messageOf(error)})`,
          'free disk space, or give the service user write access to the file and its folder (or the database)',
        ),
      ];
    }
    const [size, events] = await Promise.all([storeSizeBytes(config.storeUrl), state.store.countEvents()]);
    return [
      f.ok(`${where}: ${formatBytes(size)}, ${events} ${events === 1 ? 'event' : 'events'}; takes writes`),
    ];
  },
};

function startHint(config: InspectedConfig): string {
  return config.fromStoreUrl
    ? 'check STORE_URL, or start the relay once so it creates the store'
    : 'run doctor with the service’s settings (`sudo eventsub-relay doctor` for the installed service), or start the relay once: `eventsub-relay serve`';
}
