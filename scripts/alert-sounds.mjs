// Writes the built-in alert sounds (examples/overlay/assets/chime.wav, fanfare.wav): short sine
// tones with a soft attack and decay, 22.05 kHz 16-bit mono, made here so the package ships no
// third-party audio. Run: node scripts/alert-sounds.mjs
import { writeFileSync } from 'node:fs';

const RATE = 22050;

/** notes: [frequency Hz, start s, length s]; returns 16-bit samples. */
function render(notes, seconds) {
  const samples = new Float32Array(Math.ceil(RATE * seconds));
  for (const [frequency, start, length] of notes) {
    const from = Math.floor(start * RATE);
    const count = Math.floor(length * RATE);
    for (let i = 0; i < count && from + i < samples.length; i++) {
      const t = i / RATE;
      const envelope = Math.min(1, t / 0.01) * Math.exp(-4 * (t / length));
      const tone = Math.sin(2 * Math.PI * frequency * t) + 0.3 * Math.sin(4 * Math.PI * frequency * t);
      samples[from + i] += 0.28 * envelope * tone;
    }
  }
  const pcm = Buffer.alloc(samples.length * 2);
  samples.forEach((value, i) =>
    pcm.writeInt16LE(Math.round(Math.max(-1, Math.min(1, value)) * 32767), i * 2),
  );
  return pcm;
}

function wav(pcm) {
  const header = Buffer.alloc(44);
  header.write('RIFF', 0);
  header.writeUInt32LE(36 + pcm.length, 4);
  header.write('WAVEfmt ', 8);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(RATE, 24);
  header.writeUInt32LE(RATE * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36);
  header.writeUInt32LE(pcm.length, 40);
  return Buffer.concat([header, pcm]);
}

const dir = new URL('../examples/overlay/assets/', import.meta.url);
// Two rising notes (E6, A6).
writeFileSync(
  new URL('chime.wav', dir),
  wav(
    render(
      [
        [1318.5, 0, 0.5],
        [1760, 0.12, 0.6],
      ],
      0.8,
    ),
  ),
);
// A rising C-major arpeggio with the octave held.
writeFileSync(
  new URL('fanfare.wav', dir),
  wav(
    render(
      [
        [523.25, 0, 0.3],
        [659.25, 0.12, 0.3],
        [783.99, 0.24, 0.3],
        [1046.5, 0.36, 0.9],
      ],
      1.3,
    ),
  ),
);
