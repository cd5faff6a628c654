/** The roofline in one line of words, for the terminal before the sweep. */
import type { Roofline } from './types.js';

/** "roofline (tfjs-node matMul): B=4096 512x128: T=1 88.1 GFLOP/s (intra-op), ..." or why none. */
export function rooflineLine(roofline: Roofline): string {
  if (!roofline.measured) return `roofline not measured: ${roofline.reason}`;
  const byShape = new Map<string, string[]>();
  for (const p of roofline.points) {
    const shape = `B=${p.batch} ${p.d_in}x${p.d_out}`;
    // Above the CPUs the figure is the machine's, measured at all of them (src/roofline/measure.ts).
    const how = p.measured_threads < p.threads ? `the machine's: ${p.method} at T=${p.measured_threads}` : p.method;
    byShape.set(shape, [...(byShape.get(shape) ?? []), `T=${p.threads} ${p.gflops.toFixed(1)} GFLOP/s (${how})`]);
  }
  return `roofline (${roofline.library}): ${[...byShape].map(([shape, points]) => `${shape}: ${points.join(', ')}`).join('; ')}`;
}
