/**
 * Turns for several trainings in one process: one step at a time, in rotation, so a noisy
 * machine slows every participant alike and no step of one overlaps a step of another
 * (both pools share the same cores).
 */

/** Round-robin turns among participants 0..n-1; participant 0 starts. */
export class Turnstile {
  private current: number;
  private readonly active: boolean[];
  private readonly waiting = new Map<number, () => void>();
  private readonly holding: boolean[];

  constructor(participants: number) {
    this.active = Array.from({ length: participants }, () => true);
    this.holding = Array.from({ length: participants }, () => false);
    this.current = 0;
  }

  /**
   * Resolves when it is `who`'s turn. A participant that holds the turn hands it to the
   * next one first: calling `take` again ends one's own turn.
   */
  take(who: number): Promise<void> {
    if (this.holding[who]) {
      this.holding[who] = false;
      this.advance(who);
    }
    return new Promise((resolve) => {
      const grant = () => {
        this.holding[who] = true;
        resolve();
      };
      if (this.current === who) grant();
      else this.waiting.set(who, grant);
    });
  }

  /** `who` is done (finished, stopped or failed): it takes no more turns, and passes on the one it holds. */
  leave(who: number): void {
    if (!this.active[who]) return;
    this.active[who] = false;
    this.waiting.delete(who);
    this.holding[who] = false;
    if (this.current === who) this.advance(who);
  }

  /** Gives the turn to the next active participant after `from`, waking it if it waits. */
  private advance(from: number): void {
    const n = this.active.length;
    for (let k = 1; k <= n; k++) {
      const next = (from + k) % n;
      if (!this.active[next]) continue;
      this.current = next;
      const grant = this.waiting.get(next);
      if (grant) {
        this.waiting.delete(next);
        grant();
      }
      return;
    }
  }
}
