/**
 * Where the Electron customer window goes: full screen on the first monitor that is not the
 * till's (the customer monitor), or a plain window beside the till when only one is connected, so
 * IT can still see it work. Pure: tested without Electron.
 */
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface MonitorInfo {
  id: number;
  bounds: Rect;
}

export interface CustomerWindowPlacement {
  bounds: Rect;
  fullscreen: boolean;
}

const WINDOWED: Rect = { x: 40, y: 40, width: 1024, height: 640 };

export function customerWindowPlacement(monitors: readonly MonitorInfo[], primaryId: number): CustomerWindowPlacement {
  const second = monitors.find((m) => m.id !== primaryId);
  if (!second) return { bounds: WINDOWED, fullscreen: false };
  return { bounds: { ...second.bounds }, fullscreen: true };
}
