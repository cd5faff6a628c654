/**
 * The last-level cache's size, from Linux's sysfs (the largest `size` among cpu0's caches),
 * so that the bandwidth probe (src/roofline/bandwidth.ts) can choose buffers that do not
 * fit in it. Null where sysfs does not say.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const CACHES = '/sys/devices/system/cpu/cpu0/cache';

/** "32K", "1024K", "32M" as sysfs writes sizes, in bytes; null for anything else. */
export function parseCacheSize(text: string): number | null {
  const match = /^(\d+)([KMG]?)$/.exec(text.trim());
  if (!match) return null;
  const unit = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 }[match[2] as '' | 'K' | 'M' | 'G'];
  return Number(match[1]) * unit;
}

/** Bytes of the largest cache cpu0 has; `read` lists and reads sysfs (a test's fake). */
export function lastLevelCacheBytes(
  read: { list(dir: string): string[]; text(path: string): string } = { list: (dir) => readdirSync(dir), text: (path) => readFileSync(path, 'utf8') },
): number | null {
  try {
    const sizes = read.list(CACHES).filter((entry) => entry.startsWith('index')).map((entry) => parseCacheSize(read.text(join(CACHES, entry, 'size'))));
    const known = sizes.filter((size): size is number => size !== null);
    return known.length > 0 ? Math.max(...known) : null;
  } catch {
    return null;
  }
}
