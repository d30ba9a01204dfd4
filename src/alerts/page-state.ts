import type { Alert, AlertQueueSnapshot } from './alert.js';

/** What the overlay page needs of the alert on screen: the alert's texts, URLs and look, and its clock. */
export type PageAlert = Pick<
  Alert,
  'id' | 'type' | 'kind' | 'title' | 'message' | 'image' | 'sound' | 'volume' | 'durationMs' | 'style'
> & {
  play: number;
  elapsedMs: number;
  remainingMs: number;
  test: boolean;
};

/** One `queue` message of /overlay/<stream>/alerts. */
export interface PageState {
  paused: boolean;
  waiting: number;
  current: PageAlert | null;
}

export function pageState(snapshot: AlertQueueSnapshot): PageState {
  const showing = snapshot.current;
  return {
    paused: snapshot.paused,
    waiting: snapshot.waiting.length,
    current: showing && {
      id: showing.alert.id,
      play: showing.play,
      type: showing.alert.type,
      kind: showing.alert.kind,
      title: showing.alert.title,
      message: showing.alert.message,
      ...(showing.alert.image !== undefined && { image: showing.alert.image }),
      ...(showing.alert.sound !== undefined && { sound: showing.alert.sound }),
      volume: showing.alert.volume,
      durationMs: showing.alert.durationMs,
      elapsedMs: showing.elapsedMs,
      remainingMs: showing.remainingMs,
      style: showing.alert.style,
      test: showing.alert.origin === 'test',
    },
  };
}

/** Whether a page must hear about the change: another alert (or none), pause, or the queue's length. */
export const samePageState = (a: PageState | undefined, b: PageState) =>
  a !== undefined &&
  a.paused === b.paused &&
  a.waiting === b.waiting &&
  (a.current?.play ?? 0) === (b.current?.play ?? 0);
