/**
 * Cheermote prefixes every channel has (Twitch's global cheermotes). A channel's own cheermote has
 * its own prefix, which only the event's bit count can reveal (see cheerText).
 */
const GLOBAL_PREFIXES = new Set([
  'cheer',
  'doodlecheer',
  'biblethump',
  'cheerwhal',
  'corgo',
  'uni',
  'showlove',
  'party',
  'seemsgood',
  'pride',
  'kappa',
  'frankerz',
  'heyguys',
  'dansgame',
  'elegiggle',
  'trihard',
  'kreygasm',
  '4head',
  'swiftrage',
  'notlikethis',
  'failfish',
  'vohiyo',
  'pjsalt',
  'mrdestructoid',
  'bday',
  'ripcheer',
  'shamrock',
  'bitboss',
  'streamlabs',
  'muxy',
  'holidaycheer',
  'goal',
  'anon',
  'charity',
]);

const TOKEN = /^([a-z][a-z0-9]*?[a-z])(\d+)$/i;

/** "200 bits", "1 bit". */
export const bitsText = (bits: number) => `${bits} ${bits === 1 ? 'bit' : 'bits'}`;

/** A message with each run of cheermotes replaced by its amount: "Cheer100 Cheer100 gg" → "200 bits gg". */
function replaceRuns(words: readonly string[], isCheermote: (word: string) => boolean): string {
  const out: string[] = [];
  let run = 0;
  for (const word of words) {
    if (isCheermote(word)) {
      run += Number(TOKEN.exec(word)![2]);
      continue;
    }
    if (run > 0) out.push(bitsText(run));
    run = 0;
    out.push(word);
  }
  if (run > 0) out.push(bitsText(run));
  return out.join(' ').trim();
}

/**
 * A channel.cheer message as text for the alert: cheermote tokens (`Cheer100`, `Kappa50`) become
 * amounts, never raw text. A global prefix is always a cheermote; when the tokens of global prefixes
 * do not add up to the event's bits, every `word123` token is taken as one (the channel's own
 * cheermotes) if that makes the sum right.
 */
export function cheerText(message: string, bits: number): string {
  const words = message.split(/\s+/).filter((word) => word.length > 0);
  const amount = (word: string) => Number(TOKEN.exec(word)?.[2] ?? 0);
  const isGlobal = (word: string) => {
    const match = TOKEN.exec(word);
    return match !== null && GLOBAL_PREFIXES.has(match[1]!.toLowerCase());
  };
  const globalSum = words.filter(isGlobal).reduce((sum, word) => sum + amount(word), 0);
  if (globalSum !== bits) {
    const anySum = words.filter((word) => TOKEN.test(word)).reduce((sum, word) => sum + amount(word), 0);
    if (anySum === bits) return replaceRuns(words, (word) => TOKEN.test(word));
  }
  return replaceRuns(words, isGlobal);
}

interface Fragment {
  type?: unknown;
  text?: unknown;
  cheermote?: { bits?: unknown } | null;
}

/** A message Twitch sent as fragments (channel.bits.use): cheermote fragments become amounts. */
export function fragmentsText(fragments: readonly Fragment[]): string {
  const out: string[] = [];
  let run = 0;
  for (const fragment of fragments) {
    if (fragment.type === 'cheermote') {
      run += typeof fragment.cheermote?.bits === 'number' ? fragment.cheermote.bits : 0;
      continue;
    }
    const text = typeof fragment.text === 'string' ? fragment.text : '';
    if (run > 0 && text.trim().length > 0) {
      out.push(` ${bitsText(run)} `);
      run = 0;
    }
    out.push(text);
  }
  if (run > 0) out.push(` ${bitsText(run)}`);
  return out.join('').replace(/\s+/g, ' ').trim();
}
