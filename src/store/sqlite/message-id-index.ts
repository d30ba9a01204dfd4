/**
 * The SQLite store's dedup index, in memory: message id → event seq. A UNIQUE index on random
 * UUIDs made every stored event dirty one random 4 KiB B-tree page, written to the WAL and again
 * at checkpoint (most of the ~10 KB each event cost on disk). This open-addressing table holds a
 * 32-bit hash tag and a 32-bit seq per slot (8 bytes; 1M events ≈ 16 MiB) and is rebuilt from the
 * events table when the store opens. A tag match is confirmed against the stored row, so a hash
 * collision can never turn a new event into a "duplicate".
 *
 * Changes made inside a transaction are journaled (`begin`/`commit`/`rollback`), so a batch that
 * rolls back leaves no entry for rows that were never stored.
 */
export class MessageIdIndex {
  private tags: Uint32Array;
  private seqs: Uint32Array;
  /** Live entries, and slots that once held one (tombstones count: they lengthen probes). */
  private live = 0;
  private used = 0;
  private journal: { hash: number; seq: number; removed: boolean }[] | undefined;

  /** `idOf(seq)` reads a stored event's message id (undefined when there is no such row). */
  constructor(
    private readonly idOf: (seq: number) => string | undefined,
    expected = 0,
  ) {
    const capacity = capacityFor(expected);
    this.tags = new Uint32Array(capacity);
    this.seqs = new Uint32Array(capacity);
  }

  get size(): number {
    return this.live;
  }

  /** The seq of the stored event with this message id, if any. */
  find(id: string): number | undefined {
    const hash = hashId(id);
    const mask = this.tags.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const seq = this.seqs[slot]!;
      if (seq === EMPTY) return undefined;
      if (seq !== TOMBSTONE && this.tags[slot] === hash && this.idOf(seq) === id) return seq;
    }
  }

  add(id: string, seq: number): void {
    if (!(seq > EMPTY && seq < TOMBSTONE)) throw new SeqOutOfRangeError(seq);
    const hash = hashId(id);
    this.put(hash, seq);
    this.journal?.push({ hash, seq, removed: false });
  }

  /** Forgets an event that is deleted (retention). */
  remove(id: string, seq: number): void {
    const hash = hashId(id);
    if (this.removeHashed(hash, seq)) this.journal?.push({ hash, seq, removed: true });
  }

  /** Starts journaling additions, for a transaction that may roll back. */
  begin(): void {
    this.journal = [];
  }

  commit(): void {
    this.journal = undefined;
  }

  /** Takes back every addition and removal since `begin`. */
  rollback(): void {
    const journal = this.journal ?? [];
    this.journal = undefined;
    for (const { hash, seq, removed } of journal.reverse()) {
      if (removed) this.put(hash, seq);
      else this.removeHashed(hash, seq);
    }
  }

  private removeHashed(hash: number, seq: number): boolean {
    const mask = this.tags.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const found = this.seqs[slot]!;
      if (found === EMPTY) return false;
      if (found === seq && this.tags[slot] === hash) {
        this.seqs[slot] = TOMBSTONE;
        this.live--;
        return true;
      }
    }
  }

  private put(hash: number, seq: number): void {
    if ((this.used + 1) * 10 > this.tags.length * 7) this.resize();
    const mask = this.tags.length - 1;
    let slot = hash & mask;
    while (this.seqs[slot] !== EMPTY && this.seqs[slot] !== TOMBSTONE) slot = (slot + 1) & mask;
    if (this.seqs[slot] === EMPTY) this.used++;
    this.tags[slot] = hash;
    this.seqs[slot] = seq;
    this.live++;
  }

  /** Grows (or, with many tombstones, just cleans) the table, keeping the load under 70 %. */
  private resize(): void {
    const { tags, seqs } = this;
    const capacity = capacityFor(this.live + 1);
    this.tags = new Uint32Array(capacity);
    this.seqs = new Uint32Array(capacity);
    this.live = 0;
    this.used = 0;
    for (let slot = 0; slot < tags.length; slot++) {
      const seq = seqs[slot]!;
      if (seq !== EMPTY && seq !== TOMBSTONE) this.put(tags[slot]!, seq);
    }
  }
}

/**
 * seq values are positive 32-bit integers: 0 and 2^32 - 1 mark free and deleted slots. Half the
 * size of a Float64Array, which shows in the serving process's memory at a million events
 * (bench/RESULTS.md); a store reaches 4,294,967,294 events after 136 years at 1,000 a second.
 */
const EMPTY = 0;
const TOMBSTONE = 0xffff_ffff;

/** A seq the index cannot hold: the store has numbered more events than a 32-bit slot takes. */
export class SeqOutOfRangeError extends Error {
  constructor(seq: number) {
    super(
      `event seq ${seq} is outside 1..${TOMBSTONE - 1}, which the in-memory message-id index holds: ` +
        'this store has numbered more events than it supports; start a new store (DATA_DIR) and keep this one for reading',
    );
  }
}
const MIN_CAPACITY = 1 << 12;

/** A power of two with room for `entries` at under 50 % load (so growth is rare). */
function capacityFor(entries: number): number {
  let capacity = MIN_CAPACITY;
  while (capacity < entries * 2) capacity *= 2;
  return capacity;
}

/** FNV-1a over the id's UTF-16 code units, as an unsigned 32-bit integer. */
function hashId(id: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    hash ^= id.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
