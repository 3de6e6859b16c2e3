/**
 * Long local work in slices, so that the event loop handles what arrived meanwhile: the reads a
 * plan starts early go page by page, and each page waits for its answer to be handled before the
 * next is asked for. Measured on 10,000 files against the bench's emulator, slices of 1 ms made
 * plans about 0.2 s faster than slices of 4 ms (median of 12 alternating runs each).
 */
export const SLICE_MS = 1;

/** A function to call between items: a promise to await when the slice is used up, else undefined. */
export function slicer(): () => Promise<void> | undefined {
  let until = performance.now() + SLICE_MS;
  return () => {
    if (performance.now() < until) return undefined;
    return new Promise<void>((resolve) =>
      setImmediate(() => {
        until = performance.now() + SLICE_MS;
        resolve();
      }),
    );
  };
}
