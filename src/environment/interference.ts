/**
 * How much of the machine other work took while a timing window ran. Read from Linux's
 * /proc and the cgroup's cpu.stat around the window: the CPU time every CPU spent busy
 * (/proc/stat, steal included) less this process tree's own (this process and its
 * threads, and its child processes such as the tfjs hosts), per wall second: the cores
 * other work kept busy; the hypervisor's steal share; the load average; and the periods
 * this cgroup's CPU quota throttled it. Parsers are pure functions of file text, tested on
 * fixture strings; figures are null where a file is missing or unreadable (another OS, a
 * locked-down container): unknown, never guessed, never a crash. README "How it measures"
 * says what each figure can and cannot see.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

/**
 * Clock ticks per second of /proc/stat and /proc/<pid>/stat (USER_HZ). Node cannot ask
 * sysconf(_SC_CLK_TCK); the kernel fixes USER_HZ at 100 on every architecture Node runs
 * on (x86, Arm, POWER, s390x), whatever its internal HZ.
 */
export const USER_HZ = 100;

/** The aggregate `cpu` line of /proc/stat, in ticks summed over every CPU. */
export interface CpuTimes {
  readonly user: number;
  readonly nice: number;
  readonly system: number;
  readonly idle: number;
  readonly iowait: number;
  readonly irq: number;
  readonly softirq: number;
  /** Time a hypervisor ran something else while a CPU of this guest wanted to run; 0 where not reported. */
  readonly steal: number;
}

/** Parses /proc/stat's first `cpu` line; null when absent or malformed. Fields a kernel omits (old ones lack steal) read 0. */
export function parseProcStat(text: string): CpuTimes | null {
  const line = /^cpu\s+([\d\s]+)$/m.exec(text)?.[1];
  if (line === undefined) return null;
  const fields = line.trim().split(/\s+/).map(Number);
  if (fields.length < 4 || fields.some((value) => !Number.isFinite(value))) return null;
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = fields;
  // guest and guest_nice (fields 9, 10) are already counted in user and nice: not added again.
  return { user, nice, system, idle, iowait, irq, softirq, steal };
}

/**
 * Ticks in which a CPU did something: everything but idle and iowait (a CPU waiting on
 * I/O is free to run a thread). irq and softirq count: another device's interrupts take
 * the CPU from whatever thread it ran.
 */
export function busyTicks(times: CpuTimes): number {
  return times.user + times.nice + times.system + times.irq + times.softirq + times.steal;
}

function totalTicks(times: CpuTimes): number {
  return busyTicks(times) + times.idle + times.iowait;
}

/** The 1-minute load average from /proc/loadavg ("0.52 0.58 0.59 1/467 12345"); null if malformed. */
export function parseLoadAvg(text: string): number | null {
  const first = text.trim().split(/\s+/)[0];
  const value = first === undefined || first === '' ? Number.NaN : Number(first);
  return Number.isFinite(value) && value >= 0 ? value : null;
}

/** Throttling counters of a cgroup's CPU controller. */
export interface CgroupThrottling {
  /** Enforcement periods in which the cgroup was throttled (nr_throttled). */
  readonly throttledPeriods: number;
  /** Time its threads were held back by the quota, microseconds. */
  readonly throttledUs: number;
}

/**
 * Parses a cgroup cpu.stat: v2 writes `nr_throttled` and `throttled_usec`, v1 (the cpu
 * controller) `nr_throttled` and `throttled_time` in nanoseconds. null when the file has
 * no throttling counters (v2 without the cpu controller enabled: only usage lines).
 */
export function parseCgroupCpuStat(text: string): CgroupThrottling | null {
  const fields = new Map<string, number>();
  for (const line of text.split('\n')) {
    const [key, value] = line.trim().split(/\s+/);
    if (key && value !== undefined && /^\d+$/.test(value)) fields.set(key, Number(value));
  }
  const throttledPeriods = fields.get('nr_throttled');
  if (throttledPeriods === undefined) return null;
  const throttledUs = fields.get('throttled_usec') ?? (fields.has('throttled_time') ? fields.get('throttled_time')! / 1000 : 0);
  return { throttledPeriods, throttledUs };
}

/**
 * The cpu.stat files that may hold this process's cgroup throttling, most specific first,
 * from /proc/self/cgroup: v2's `0::/path` under /sys/fs/cgroup; v1's cpu controller line
 * (`4:cpu,cpuacct:/path`) under its mount. Inside a container with its own cgroup
 * namespace the path is `/`, the container's own cgroup.
 */
export function cgroupCpuStatPaths(procSelfCgroup: string): string[] {
  const paths: string[] = [];
  for (const line of procSelfCgroup.split('\n')) {
    const match = /^(\d+):([^:]*):(.*)$/.exec(line.trim());
    if (!match) continue;
    const [, id, controllers, path] = match as unknown as [string, string, string, string];
    const under = path === '/' ? '' : path.replace(/\/+$/, '');
    if (id === '0' && controllers === '') paths.push(`/sys/fs/cgroup${under}/cpu.stat`);
    else if (controllers.split(',').includes('cpu')) {
      paths.push(`/sys/fs/cgroup/${controllers}${under}/cpu.stat`, `/sys/fs/cgroup/cpu${under}/cpu.stat`);
    }
  }
  // Roots last: a container whose /proc/self/cgroup names a host path its mount does not have.
  paths.push('/sys/fs/cgroup/cpu.stat', '/sys/fs/cgroup/cpu/cpu.stat', '/sys/fs/cgroup/cpu,cpuacct/cpu.stat');
  return [...new Set(paths)];
}

/** The fields of /proc/<pid>/stat this module uses. */
export interface PidStat {
  readonly pid: number;
  readonly ppid: number;
  /** utime + stime: the process's own CPU time, ticks. */
  readonly ownTicks: number;
  /** cutime + cstime: CPU time of its children that exited and were waited for, ticks. */
  readonly reapedChildTicks: number;
}

/**
 * Parses /proc/<pid>/stat. The command name (field 2) is in parentheses and may itself
 * hold spaces and parentheses, so fields are counted after the last `)`.
 */
export function parsePidStat(text: string): PidStat | null {
  const close = text.lastIndexOf(')');
  const pid = Number.parseInt(text, 10);
  if (close < 0 || !Number.isInteger(pid)) return null;
  // After ")": state(3) ppid(4) pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt utime(14) stime cutime cstime(17).
  const rest = text.slice(close + 1).trim().split(/\s+/);
  const field = (n: number) => Number(rest[n - 3]);
  const values = [field(4), field(14), field(15), field(16), field(17)];
  if (values.some((value) => !Number.isFinite(value))) return null;
  return { pid, ppid: field(4), ownTicks: field(14) + field(15), reapedChildTicks: field(16) + field(17) };
}

/**
 * CPU ticks of `root`'s child processes, live and reaped, from every process's stat: the
 * live descendants' own and reaped time, plus `root`'s own reaped-children time. A child
 * that exits between two readings moves its time from the first term to the second when
 * Node reaps it, so a difference of two readings counts each tick once.
 */
export function descendantTicks(stats: readonly PidStat[], root: number): number {
  const children = new Map<number, PidStat[]>();
  for (const stat of stats) {
    const siblings = children.get(stat.ppid);
    if (siblings) siblings.push(stat);
    else children.set(stat.ppid, [stat]);
  }
  let ticks = stats.find((stat) => stat.pid === root)?.reapedChildTicks ?? 0;
  const queue = [...(children.get(root) ?? [])];
  const seen = new Set<number>([root]);
  while (queue.length > 0) {
    const stat = queue.pop()!;
    if (seen.has(stat.pid)) continue;
    seen.add(stat.pid);
    ticks += stat.ownTicks + stat.reapedChildTicks;
    queue.push(...(children.get(stat.pid) ?? []));
  }
  return ticks;
}

/** What the machine's counters said at one instant. */
export interface Counters {
  /** performance.now() when /proc/stat was read, ms. */
  readonly atMs: number;
  readonly cpu: CpuTimes | null;
  /** This process's CPU time, all its threads (process.cpuUsage), seconds. */
  readonly selfS: number;
  /** Its child processes' CPU time, live and reaped, seconds; null where /proc cannot be walked. */
  readonly childrenS: number | null;
  readonly loadAvg1m: number | null;
  readonly throttling: CgroupThrottling | null;
}

/** Interference over one interval, as run.json keeps it per window. */
export interface WindowInterference {
  /** The interval's wall time, ms. */
  readonly wall_ms: number;
  /**
   * CPU-seconds every CPU spent busy (steal included) less this process tree's, per wall
   * second: how many cores other work kept busy. Floored at 0 (tick rounding). null where
   * /proc/stat or the process tree could not be read.
   */
  readonly others_cores: number | null;
  /** Steal as a percentage of all CPUs' time (top's `st`); 0 where the kernel reports none. */
  readonly steal_pct: number | null;
  /** The 1-minute load average at the interval's end: this run's own threads included. */
  readonly load_avg_1m: number | null;
  /** Periods in which this cgroup's CPU quota throttled it during the interval. */
  readonly throttled_periods: number | null;
  /** Time the quota held its threads back during the interval, ms (summed over threads). */
  readonly throttled_ms: number | null;
}

const round = (value: number, digits: number) => Number(value.toFixed(digits));

/** The interference between two readings: a pure function, for tests on synthetic counters. */
export function interferenceBetween(before: Counters, after: Counters, hz = USER_HZ): WindowInterference {
  const wallS = (after.atMs - before.atMs) / 1000;
  let others: number | null = null;
  let steal: number | null = null;
  if (before.cpu && after.cpu && wallS > 0) {
    const busyS = (busyTicks(after.cpu) - busyTicks(before.cpu)) / hz;
    const total = totalTicks(after.cpu) - totalTicks(before.cpu);
    if (before.childrenS !== null && after.childrenS !== null) {
      const ownS = after.selfS - before.selfS + (after.childrenS - before.childrenS);
      others = round(Math.max(0, (busyS - ownS) / wallS), 3);
    }
    steal = total > 0 ? round((100 * (after.cpu.steal - before.cpu.steal)) / total, 2) : null;
  }
  const throttling = before.throttling && after.throttling
    ? { periods: Math.max(0, after.throttling.throttledPeriods - before.throttling.throttledPeriods), ms: round(Math.max(0, after.throttling.throttledUs - before.throttling.throttledUs) / 1000, 3) }
    : null;
  return {
    wall_ms: round(wallS * 1000, 1),
    others_cores: others,
    steal_pct: steal,
    load_avg_1m: after.loadAvg1m,
    throttled_periods: throttling?.periods ?? null,
    throttled_ms: throttling?.ms ?? null,
  };
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * The stats of `root` and its descendants, found through <proc>/<pid>/task/<tid>/children:
 * a few dozen small reads, where walking every process of a busy server reads thousands.
 * undefined where the kernel has no such files (CONFIG_PROC_CHILDREN off, as in some VMs
 * and sandboxes) or `root` cannot be read.
 */
function readTreeStats(root: number, proc: string): PidStat[] | undefined {
  if (readText(`${proc}/${root}/task/${root}/children`) === undefined) return undefined;
  const stats: PidStat[] = [];
  const queue = [root];
  const seen = new Set<number>();
  while (queue.length > 0) {
    const pid = queue.pop()!;
    if (seen.has(pid)) continue;
    seen.add(pid);
    const text = readText(`${proc}/${pid}/stat`);
    const stat = text === undefined ? null : parsePidStat(text);
    if (!stat) continue; // exited since its parent listed it
    stats.push(stat);
    let tasks: string[] = [];
    try {
      tasks = readdirSync(`${proc}/${pid}/task`);
    } catch {
      // exited: its stat above is the last word
    }
    for (const tid of tasks) {
      const children = readText(`${proc}/${pid}/task/${tid}/children`) ?? '';
      for (const child of children.trim().split(/\s+/)) if (/^\d+$/.test(child)) queue.push(Number(child));
    }
  }
  return stats.some((stat) => stat.pid === root) ? stats : undefined;
}

/** Every process's stat we may read; undefined where <proc> cannot be listed (not Linux) or lacks `root`. */
function readAllPidStats(root: number, proc: string): PidStat[] | undefined {
  let names: string[];
  try {
    names = readdirSync(proc);
  } catch {
    return undefined;
  }
  const stats: PidStat[] = [];
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    // A process may exit between the listing and the read: it is simply not counted.
    const text = readText(`${proc}/${name}/stat`);
    const stat = text === undefined ? null : parsePidStat(text);
    if (stat) stats.push(stat);
  }
  return stats.some((stat) => stat.pid === root) ? stats : undefined;
}

/**
 * CPU seconds of `root`'s child processes, live and reaped (descendantTicks), read from
 * `proc` (a fixture tree in tests); null where it cannot be read.
 */
export function childProcessSeconds(root = process.pid, proc = '/proc'): number | null {
  const stats = readTreeStats(root, proc) ?? readAllPidStats(root, proc);
  return stats === undefined ? null : descendantTicks(stats, root) / USER_HZ;
}

let cgroupStatPath: string | null | undefined;

/** The first cpu.stat with throttling counters, found once per process (the cgroup does not move). */
function readThrottling(): CgroupThrottling | null {
  if (cgroupStatPath === undefined) {
    const candidates = cgroupCpuStatPaths(readText('/proc/self/cgroup') ?? '');
    cgroupStatPath = candidates.find((path) => {
      const text = readText(path);
      return text !== undefined && parseCgroupCpuStat(text) !== null;
    }) ?? null;
  }
  if (cgroupStatPath === null) return null;
  const text = readText(cgroupStatPath);
  return text === undefined ? null : parseCgroupCpuStat(text);
}

/**
 * Reads this machine's counters. The process walk (the slow part on a server with
 * thousands of processes) runs outside the pair of /proc/stat and process.cpuUsage reads,
 * which sit microseconds apart: the walk's own CPU falls outside both intervals, and
 * child processes barely run while it reads them.
 */
export function readCounters(walkFirst: boolean): Counters {
  const walk = () => childProcessSeconds();
  const childrenBefore = walkFirst ? walk() : undefined;
  const statText = readText('/proc/stat');
  const atMs = performance.now();
  const usage = process.cpuUsage();
  const selfS = (usage.user + usage.system) / 1e6;
  const childrenS = walkFirst ? childrenBefore! : walk();
  const loadText = readText('/proc/loadavg');
  return {
    atMs,
    cpu: statText === undefined ? null : parseProcStat(statText),
    selfS,
    childrenS,
    loadAvg1m: loadText === undefined ? null : parseLoadAvg(loadText),
    throttling: readThrottling(),
  };
}

/** A sampler started before a window; `end()` after it gives the window's interference. */
export interface InterferenceSampler {
  end(): WindowInterference;
}

/** Starts sampling now: call `end()` once the window is over. */
export function startInterference(): InterferenceSampler {
  const before = readCounters(true);
  return { end: () => interferenceBetween(before, readCounters(false)) };
}
