/**
 * Issue 22, item 4: compare does not cry wolf. The units are timing windows; a change is a
 * regression or improvement only when its whole interval lies beyond the threshold,
 * unchanged when inside it, inconclusive otherwise. Seeded trials of runs whose windows
 * spread by 3 %: a real 15 % (or 10 %) slowdown is caught, an unchanged build is not
 * flagged.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { verdictOf } from '../src/report/compare/compare.js';
import { throughputChange } from '../src/report/compare/statistics.js';
import { ALPHA } from '../src/report/compare/compare.js';
import { SeededRandom } from '../src/triplet/random.js';

/** `count` window medians around `stepMs` with a `spread` coefficient of variation. */
function units(random: SeededRandom, stepMs: number, spread: number, count: number): number[] {
  return Array.from({ length: count }, () => stepMs * (1 + spread * random.gaussian()));
}

/** Verdicts of `trials` comparisons of a base at 10 ms against a current `slower` times as slow. */
function verdicts(slower: number, trials: number, count = 6): Map<string, number> {
  const random = new SeededRandom(2026);
  const tally = new Map<string, number>();
  for (let trial = 0; trial < trials; trial++) {
    const change = throughputChange(units(random, 10, 0.03, count), units(random, 10 * slower, 0.03, count), ALPHA)!;
    const verdict = verdictOf(change, 5);
    tally.set(verdict, (tally.get(verdict) ?? 0) + 1);
  }
  return tally;
}

describe("compare's verdicts over windows", () => {
  it('flags a 15 % slowdown in at least 95 % of seeded trials', () => {
    const tally = verdicts(1.15, 400);
    assert.ok((tally.get('regression') ?? 0) >= 380, JSON.stringify([...tally]));
  });

  it('catches a real 10 % slowdown with ten windows a side in at least 90 % of trials', () => {
    // Its interval must clear the 5 % threshold from 10 %: about one in twenty stays inconclusive.
    const tally = verdicts(1.1, 400, 10);
    assert.ok((tally.get('regression') ?? 0) >= 360, JSON.stringify([...tally]));
    assert.equal(tally.get('improvement') ?? 0, 0);
  });

  it('flags an unchanged build in at most 5 % of seeded trials, and mostly calls it unchanged', () => {
    const tally = verdicts(1, 400);
    const flagged = (tally.get('regression') ?? 0) + (tally.get('improvement') ?? 0);
    assert.ok(flagged <= 20, JSON.stringify([...tally]));
    assert.ok((tally.get('unchanged') ?? 0) >= 200, JSON.stringify([...tally]));
  });

  it('reads the interval against the threshold', () => {
    const change = (ciLow: number, ciHigh: number) => ({ ratio: (ciLow + ciHigh) / 2, ciLow, ciHigh, pValue: 0.5 });
    assert.equal(verdictOf(change(0.8, 0.9), 5), 'regression');
    assert.equal(verdictOf(change(1.06, 1.2), 5), 'improvement');
    assert.equal(verdictOf(change(0.97, 1.04), 5), 'unchanged');
    assert.equal(verdictOf(change(0.9, 0.99), 5), 'inconclusive');
    assert.equal(verdictOf(change(1.01, 1.08), 5), 'inconclusive');
  });
});
