/** The pages under /overlay/ a browser source can show; `alerts` is the alert box (index.html). */
export const OVERLAY_PAGES = {
  alerts: '',
  recent: 'recent.html',
  counters: 'counters.html',
  goal: 'goal.html',
} as const;
export type OverlayPage = keyof typeof OVERLAY_PAGES;
