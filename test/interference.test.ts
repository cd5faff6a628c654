import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { getEventListeners, once } from 'node:events';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  cgroupCpuStatPaths,
  childProcessSeconds,
  descendantTicks,
  interferenceBetween,
  parseCgroupCpuStat,
  parseLoadAvg,
  parsePidStat,
  parseProcStat,
  readCounters,
  type Counters,
  type CpuTimes,
} from '../src/environment/interference.js';
import { joinNotes, othersOver, QUIET_CHECK_MS, rowInterference, waitForQuiet, type WindowFigures } from '../src/bench/interference.js';
import { interferenceFlagged, interferenceWarnings } from '../src/report/interference-rows.js';
import type { ResultRow } from '../src/bench/rows.js';
import { interferenceSection, interferenceSentence } from '../src/report/html/interference-section.js';
import { glance } from '../src/report/html/glance.js';
import { INJECT_CLI, readResults, startCli } from './helpers.js';
import { fixtureRow, plainRow } from './fixtures.js';
import { verdict } from '../src/report/verdict.js';

// A 2-CPU VM's /proc/stat (head): the aggregate line first, then one per CPU.
const PROC_STAT = `cpu  482317 973058 219734 553296 2970 0 1040 9558 120 0
cpu0 230938 485097 106931 292486 549 0 207 4856 0 0
cpu1 251379 487960 112803 260809 2420 0 833 4702 0 0
intr 123 0 0
ctxt 456
`;

const times = (fields: Partial<CpuTimes>): CpuTimes => ({ user: 0, nice: 0, system: 0, idle: 0, iowait: 0, irq: 0, softirq: 0, steal: 0, ...fields });

function counters(atMs: number, cpu: CpuTimes | null, selfS: number, childrenS: number | null, extra: Partial<Counters> = {}): Counters {
  return { atMs, cpu, selfS, childrenS, loadAvg1m: 1.5, throttling: null, ...extra };
}

describe('interference: parsing /proc and cgroup files', () => {
  it('reads the aggregate cpu line of /proc/stat, steal included, guest not added twice', () => {
    assert.deepEqual(parseProcStat(PROC_STAT), { user: 482317, nice: 973058, system: 219734, idle: 553296, iowait: 2970, irq: 0, softirq: 1040, steal: 9558 });
    // A kernel older than 2.6.11 writes no steal: it reads 0, not a failure.
    assert.deepEqual(parseProcStat('cpu  10 20 30 40 50 60 70\n'), times({ user: 10, nice: 20, system: 30, idle: 40, iowait: 50, irq: 60, softirq: 70 }));
    assert.equal(parseProcStat('cpu0 1 2 3 4\n'), null, 'a per-CPU line is not the aggregate');
    assert.equal(parseProcStat(''), null);
    assert.equal(parseProcStat('cpu  1 2\n'), null);
  });

  it('reads the 1-minute load average', () => {
    assert.equal(parseLoadAvg('3.84 2.31 2.02 2/114 5903\n'), 3.84);
    assert.equal(parseLoadAvg(''), null);
    assert.equal(parseLoadAvg('busy'), null);
  });

  it('reads cgroup v2 and v1 throttling, and nothing from a v2 cpu.stat without the cpu controller', () => {
    const v2 = 'usage_usec 8123456\nuser_usec 7000000\nsystem_usec 1123456\nnr_periods 5000\nnr_throttled 42\nthrottled_usec 1500000\nnr_bursts 0\nburst_usec 0\n';
    assert.deepEqual(parseCgroupCpuStat(v2), { throttledPeriods: 42, throttledUs: 1_500_000 });
    const v1 = 'nr_periods 900\nnr_throttled 7\nthrottled_time 350000000\n';
    assert.deepEqual(parseCgroupCpuStat(v1), { throttledPeriods: 7, throttledUs: 350_000 });
    assert.equal(parseCgroupCpuStat('usage_usec 8123456\nuser_usec 7000000\nsystem_usec 1123456\n'), null);
  });

  it('finds the cpu.stat of this process\'s cgroup: v2, v1, and a container\'s own namespace', () => {
    assert.equal(cgroupCpuStatPaths('0::/user.slice/user-1000.slice/session-3.scope\n')[0], '/sys/fs/cgroup/user.slice/user-1000.slice/session-3.scope/cpu.stat');
    assert.equal(cgroupCpuStatPaths('0::/\n')[0], '/sys/fs/cgroup/cpu.stat', 'a container with a cgroup namespace sees its own cgroup as /');
    const v1 = cgroupCpuStatPaths('12:memory:/docker/abc\n4:cpu,cpuacct:/docker/abc\n0::/\n');
    assert.ok(v1.indexOf('/sys/fs/cgroup/cpu,cpuacct/docker/abc/cpu.stat') >= 0);
    assert.ok(v1.indexOf('/sys/fs/cgroup/cpu/docker/abc/cpu.stat') > v1.indexOf('/sys/fs/cgroup/cpu,cpuacct/docker/abc/cpu.stat'));
    assert.ok(!v1.some((path) => path.includes('memory')));
    assert.ok(cgroupCpuStatPaths('').includes('/sys/fs/cgroup/cpu.stat'), 'roots when /proc/self/cgroup is unreadable');
  });

  it('reads a process stat whose command name holds spaces and parentheses', () => {
    const text = '4242 (node (tfjs) host) S 4200 4242 4200 0 -1 4194560 3654 35869 0 16 250 50 30 14 20 0 1 0 1123388 5124096 954\n';
    assert.deepEqual(parsePidStat(text), { pid: 4242, ppid: 4200, ownTicks: 300, reapedChildTicks: 44 });
    assert.equal(parsePidStat('garbage'), null);
  });

  it('counts the whole tree below a process, reaped children included, and nothing else', () => {
    const stat = (pid: number, ppid: number, own: number, reaped = 0) => ({ pid, ppid, ownTicks: own, reapedChildTicks: reaped });
    const stats = [stat(1, 0, 999), stat(10, 1, 500, 7), stat(11, 10, 30), stat(12, 11, 20, 5), stat(13, 1, 400), stat(14, 10, 1)];
    assert.equal(descendantTicks(stats, 10), 7 + 30 + 20 + 5 + 1);
    assert.equal(descendantTicks(stats, 99), 0, 'an unknown root has no tree');
  });
});

/** A fixture /proc: pid -> [ppid, utime + stime, cutime + cstime]; children files only when `childrenFiles`. */
function procTree(processes: Record<number, [number, number, number]>, childrenFiles: boolean): string {
  const proc = mkdtempSync(join(tmpdir(), 'tb-proc-'));
  for (const [pid, [ppid, own, reaped]] of Object.entries(processes)) {
    mkdirSync(join(proc, pid, 'task', pid), { recursive: true });
    writeFileSync(join(proc, pid, 'stat'), `${pid} (node) S ${ppid} 1 1 0 -1 0 0 0 0 0 ${own} 0 ${reaped} 0 20 0 1 0\n`);
    const children = Object.entries(processes).filter(([, [parent]]) => parent === Number(pid)).map(([child]) => child);
    if (childrenFiles) writeFileSync(join(proc, pid, 'task', pid, 'children'), children.length > 0 ? `${children.join(' ')} ` : '');
  }
  return proc;
}

describe('interference: this process tree\'s children', () => {
  // 100 is the run, 101 its tfjs host, 102 the host's child; 200 and 201 are someone else's.
  const tree: Record<number, [number, number, number]> = { 1: [0, 5, 0], 100: [1, 999, 7], 101: [100, 300, 0], 102: [101, 40, 3], 200: [1, 5000, 0], 201: [200, 800, 0] };

  it('sums its descendants through the kernel\'s children files', () => {
    assert.equal(childProcessSeconds(100, procTree(tree, true)), (7 + 300 + 40 + 3) / 100);
  });

  it('walks every process where the kernel has no children files, to the same sum', () => {
    assert.equal(childProcessSeconds(100, procTree(tree, false)), (7 + 300 + 40 + 3) / 100);
  });

  it('is null where the process cannot be found', () => {
    assert.equal(childProcessSeconds(100, join(tmpdir(), 'tb-no-such-proc')), null);
    assert.equal(childProcessSeconds(999, procTree(tree, false)), null);
  });
});

describe('interference: figures over an interval', () => {
  it('others are the busy CPU time less this tree\'s own, per wall second, steal included', () => {
    // 2 s; 500 busy ticks (5 CPU-s) of which 60 steal; this process 2.2 s, its children 0.8 s.
    const before = counters(0, times({ user: 1000, idle: 5000, steal: 40 }), 10, 3);
    const after = counters(2000, times({ user: 1400, system: 40, idle: 5300, steal: 100 }), 12.2, 3.8, { loadAvg1m: 4.2 });
    const figures = interferenceBetween(before, after);
    assert.equal(figures.wall_ms, 2000);
    assert.equal(figures.others_cores, (5 - 3) / 2);
    assert.equal(figures.steal_pct, Number(((100 * 60) / 800).toFixed(2)));
    assert.equal(figures.load_avg_1m, 4.2);
    assert.equal(figures.throttled_periods, null, 'no cgroup counters: unknown');
  });

  it('floors tick rounding at 0 and reports the cgroup\'s throttling deltas', () => {
    const before = counters(0, times({ user: 100, idle: 100 }), 0, 0, { throttling: { throttledPeriods: 10, throttledUs: 5000 } });
    const after = counters(1000, times({ user: 198, idle: 100 }), 1.0, 0, { throttling: { throttledPeriods: 13, throttledUs: 29_000 } });
    const figures = interferenceBetween(before, after);
    assert.equal(figures.others_cores, 0, '0.98 s busy against 1 s own: rounding, not negative others');
    assert.equal(figures.throttled_periods, 3);
    assert.equal(figures.throttled_ms, 24);
  });

  it('is null where /proc/stat or the process tree could not be read (another OS)', () => {
    const figures = interferenceBetween(counters(0, null, 0, null, { loadAvg1m: null }), counters(1000, null, 1, null, { loadAvg1m: null }));
    assert.deepEqual(figures, { wall_ms: 1000, others_cores: null, steal_pct: null, load_avg_1m: null, throttled_periods: null, throttled_ms: null });
    const noTree = interferenceBetween(counters(0, times({ user: 1 }), 0, null), counters(1000, times({ user: 50 }), 0.2, null));
    assert.equal(noTree.others_cores, null, 'without its own tree, others cannot be told from the run');
  });

  it('counts a child process\'s CPU as this tree\'s own, live and after it exits', { skip: process.platform !== 'linux' && 'reads /proc' }, async () => {
    // The child spins until it has used 200 ms of CPU, says so, and sleeps until killed.
    const spin = 'const t=process.cpuUsage();let x=0;while(process.cpuUsage(t).user<200000)for(let i=0;i<1e6;i++)x+=i;console.log("spun",x>0);setInterval(()=>{},1000)';
    const child = spawn(process.execPath, ['-e', spin], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const before = readCounters(true);
      await once(child.stdout, 'data');
      const live = readCounters(false);
      assert.ok(live.childrenS! - before.childrenS! >= 0.18, `live child counted: ${live.childrenS! - before.childrenS!} s`);
      child.kill();
      await once(child, 'exit');
      const reaped = readCounters(false);
      // Its time moves from the live term to the reaped one: counted once, not twice, not lost.
      assert.ok(Math.abs(reaped.childrenS! - live.childrenS!) < 0.1, `reaped child counted once: ${live.childrenS! - before.childrenS!} s live, ${reaped.childrenS! - before.childrenS!} s reaped`);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  });
});

function window(others: number | null, extra: Partial<WindowFigures> = {}): WindowFigures {
  return { wall_ms: 1000, others_cores: others, steal_pct: 0, load_avg_1m: 1, throttled_periods: 0, throttled_ms: 0, ...extra };
}

const POLICY = { maxCores: 0.25, waitQuietS: 0 };

describe('interference: checks on the run\'s signal', () => {
  it('leave no abort listener behind (--wait-quiet checks every 250 ms: MaxListenersExceededWarning after 3 s)', async () => {
    const stop = new AbortController();
    for (let check = 0; check < 12; check++) await othersOver(1, stop.signal);
    assert.equal(getEventListeners(stop.signal, 'abort').length, 0);
  });
});

describe('interference: flagging rows', () => {
  it('flags a row when any window exceeded the limit, with the largest figure', () => {
    const quiet = rowInterference([window(0.05), window(0.2)], POLICY);
    assert.deepEqual(quiet, { interference_cores: 0.2, interference_limit: 0.25, throttled_periods: 0, note: '' });
    const busy = rowInterference([window(0.05), window(1.31)], POLICY);
    assert.equal(busy.interference_cores, 1.31);
    assert.match(busy.note, /^interference: other processes kept up to 1\.31 cores busy .*interference_cores.*--max-interference 0\.25/);
    assert.equal(rowInterference([window(0.25)], POLICY).note, '', 'the limit itself is allowed');
  });

  it('flags cgroup throttling, summed over windows, and a wait for quiet that ran out', () => {
    const throttled = rowInterference([window(0, { throttled_periods: 2, throttled_ms: 30 }), window(0, { throttled_periods: 3, throttled_ms: 45 })], POLICY);
    assert.equal(throttled.throttled_periods, 5);
    assert.match(throttled.note, /CPU quota throttled it in 5 periods \(75 ms; throttled_periods\)/);
    const gaveUp = rowInterference([window(0.9, { waited_s: 30, quiet_after_wait: false })], { maxCores: 0.25, waitQuietS: 30 });
    assert.match(gaveUp.note, /0\.90 cores/);
    assert.match(gaveUp.note, /still busy after --wait-quiet 30 s/);
  });

  it('leaves the columns empty where nothing could be measured', () => {
    assert.deepEqual(rowInterference([window(null, { throttled_periods: null, throttled_ms: null })], POLICY), { interference_cores: null, interference_limit: 0.25, throttled_periods: null, note: '' });
    assert.deepEqual(rowInterference([], POLICY).interference_cores, null);
  });

  it('joins notes with "; " and drops empty ones', () => {
    assert.equal(joinNotes('harness overhead', ''), 'harness overhead');
    assert.equal(joinNotes('harness overhead', 'interference: x'), 'harness overhead; interference: x');
  });
});

function row(fields: Partial<ResultRow>): ResultRow {
  return plainRow({ interference_cores: 0.1, interference_limit: 0.25, throttled_periods: 0, ...fields });
}

describe('interference: warnings and the page', () => {
  const rows = [
    row({ threads: 1, interference_cores: 0.1 }),
    row({ threads: 2, interference_cores: 1.42 }),
    row({ threads: 4, throttled_periods: 12 }),
    row({ threads: 8, status: 'errored', interference_cores: 3 }),
  ];

  it('flags from the columns alone, timed rows only', () => {
    assert.deepEqual(rows.map(interferenceFlagged), [false, true, true, false]);
    assert.equal(interferenceFlagged(row({ interference_cores: null, interference_limit: null, throttled_periods: null })), false, 'a CSV from before these columns');
  });

  it('warns once for others\' CPU and once for throttling, naming the figure and the rows', () => {
    const warnings = interferenceWarnings(rows, (r) => `T=${r.threads}`);
    assert.equal(warnings.length, 2);
    assert.match(warnings[0]!, /^1 of 3 timed rows .* more than 0\.25 cores busy \(interference_cores, up to 1\.42\): T=2 \(1\.42 cores\);/);
    assert.match(warnings[1]!, /^1 rows were throttled .*\(throttled_periods\): T=4 \(12 periods\)/);
    assert.deepEqual(interferenceWarnings([rows[0]!], (r) => `T=${r.threads}`), []);
    const many = Array.from({ length: 11 }, (_, i) => row({ threads: i + 1, interference_cores: 2 }));
    assert.match(interferenceWarnings(many, (r) => `T=${r.threads}`)[0]!, /T=8 \(2\.00 cores\) and 3 more;/);
  });

  it('lists flagged rows with their figure on the page and says so at a glance', () => {
    const section = interferenceSection(rows);
    assert.match(section, /<h2>Measured under interference<\/h2>/);
    assert.match(section, /<td>1\.42<\/td>/);
    assert.match(section, /<td>12<\/td>/);
    assert.ok(!section.includes('T=1 '), 'an unflagged row is not listed');
    assert.equal(interferenceSection([rows[0]!]), '');
    assert.equal(interferenceSentence(rows.slice(0, 3)), '2 of 3 rows were measured under interference: other processes kept up to 1.42 cores busy (limit 0.25); ' +
      'the cgroup\'s CPU quota throttled 1 of them; not fit to publish, see "Measured under interference".');
    assert.match(interferenceSentence([rows[0]!])!, /^No row was measured under interference: .* at most 0\.10 cores/);
    assert.equal(interferenceSentence([row({ interference_cores: null })]), undefined);
    const sentences = glance(rows)[0]!.sentences;
    assert.match(sentences[0]!, /measured under interference/, 'said first when rows are flagged');
  });
});

describe('interference: the verdict', () => {
  it('cautions when a row behind it was measured under interference, and only then', () => {
    const pair = [
      fixtureRow({ kernel: 'wasm', strategy: 'dense', threads: 1, stepMs: 100 }),
      fixtureRow({ kernel: 'wasm', strategy: 'compact', threads: 1, stepMs: 60 }),
    ].map((r) => ({ ...r, interference_cores: 0.02, interference_limit: 0.25, throttled_periods: 0 }));
    assert.ok(!verdict(pair).some((f) => f.text.includes('interference')));
    pair[1]!.interference_cores = 1.5;
    const caution = verdict(pair).at(-1)!;
    assert.match(caution.text, /^Caution: 1 of the 2 rows timed here were measured under interference \(other processes kept up to 1\.50 cores busy/);
    assert.match(caution.source, /interference_cores/);
  });
});

describe('interference: waiting for a quiet machine', () => {
  const scripted = (values: (number | null)[]) => {
    let calls = 0;
    return { measure: async () => values[Math.min(calls++, values.length - 1)]!, calls: () => calls };
  };

  it('does not wait when off, nor when the machine is quiet or unmeasurable', async () => {
    assert.equal(await waitForQuiet({ maxCores: 0.25, waitQuietS: 0 }), undefined);
    const lines: string[] = [];
    const quiet = scripted([0.1]);
    assert.deepEqual(await waitForQuiet({ maxCores: 0.25, waitQuietS: 10 }, { measure: quiet.measure, onWait: (l) => lines.push(l) }), { waited_s: QUIET_CHECK_MS / 1000, quiet: true, others_cores: 0.1 });
    assert.equal((await waitForQuiet({ maxCores: 0.25, waitQuietS: 10 }, { measure: scripted([null]).measure }))!.quiet, true);
    assert.deepEqual(lines, []);
  });

  it('waits with one message until the machine quiets down', async () => {
    const lines: string[] = [];
    const busyThenQuiet = scripted([1.5, 1.2, 0.1]);
    const wait = await waitForQuiet({ maxCores: 0.25, waitQuietS: 10 }, { measure: busyThenQuiet.measure, onWait: (l) => lines.push(l) });
    assert.deepEqual(wait, { waited_s: (3 * QUIET_CHECK_MS) / 1000, quiet: true, others_cores: 0.1 });
    assert.equal(lines.length, 1);
    assert.match(lines[0]!, /waiting up to 10 s for a quiet machine: other processes keep 1\.50 cores busy \(--max-interference 0\.25\)/);
  });

  it('gives up after its bound and says so', async () => {
    const lines: string[] = [];
    const busy = scripted([2]);
    const wait = await waitForQuiet({ maxCores: 0.25, waitQuietS: 1 }, { measure: busy.measure, onWait: (l) => lines.push(l) });
    assert.deepEqual(wait, { waited_s: 1, quiet: false, others_cores: 2 });
    assert.equal(busy.calls(), Math.ceil(1000 / QUIET_CHECK_MS), 'bounded by --wait-quiet');
    assert.equal(lines.length, 2);
    assert.match(lines[1]!, /still busy after 1 s/);
  });
});

describe('interference: a run beside a busy loop', () => {
  it('flags every timed row, warns naming the figure, and keeps each window\'s figures', { skip: process.platform !== 'linux' && 'reads /proc' }, async () => {
    // A process that is not the run's (its sibling, not its child): on any machine it keeps a
    // core's worth busy, 4 times the limit. It spins only while the run waits and times:
    // stopped (SIGSTOP) through the run's start and continued as the batch is built, then
    // ended once the last row is timed, before the report pages.
    const loop = spawn(process.execPath, ['-e', 'process.stdout.write("spinning\\n");for(;;){}'], { stdio: ['ignore', 'pipe', 'ignore'] });
    const out = mkdtempSync(join(tmpdir(), 'tb-interf-'));
    let result;
    try {
      await once(loop.stdout!, 'data');
      loop.kill('SIGSTOP');
      // The test entry's --unmeasured-machine spares the run the seconds of measuring the machine.
      // --wait-quiet 0.25 is one check of the machine per row (QUIET_CHECK_MS), the loop
      // spinning a core through each: it waits, and gives up, as two checks did.
      const run = startCli(['run', '--unmeasured-machine', '--engines', 'workers', '--kernels', 'js', '--threads', '1', '--batch', '256', '--dims', '64x16', '--active', '0.3',
        '--time', '100', '--rounds', '1', '--wait-quiet', '0.25', '--out', out], INJECT_CLI);
      await run.waitFor(/building batch and reference/);
      loop.kill('SIGCONT');
      // The progress line of the last row (not --no-progress: the loop ends on it).
      await run.waitFor(/\[2\/2\].* samples\n/);
      loop.kill('SIGKILL');
      result = await run.exited;
    } finally {
      loop.kill('SIGKILL');
    }
    assert.equal(result.code, 0, result.stderr);
    const { rows } = readResults(out);
    const timed = rows.filter((r) => r['status'] === 'ok');
    assert.equal(timed.length, 2, 'js dense and compact');
    for (const r of timed) {
      assert.ok(Number(r['interference_cores']) > Number(r['interference_limit']), `others ${r['interference_cores']} above ${r['interference_limit']}`);
      assert.match(r['note']!, /interference: other processes kept up to [\d.]+ cores busy/);
      assert.match(r['note']!, /still busy after --wait-quiet 0\.25 s/);
    }
    assert.match(result.stderr, /waiting up to 0\.25 s for a quiet machine/);
    assert.match(result.stderr, /warning: 2 of 2 timed rows were measured while other processes kept more than 0\.25 cores busy \(interference_cores, up to [\d.]+\)/);
    const runJson = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as {
      warnings: string[];
      options: Record<string, unknown>;
      configurations: { interference_cores: number; interference_windows: WindowFigures[] }[];
    };
    assert.equal(runJson.options['max_interference_cores'], 0.25);
    assert.ok(runJson.warnings.some((w) => w.includes('interference_cores')));
    for (const configuration of runJson.configurations) {
      assert.equal(configuration.interference_windows.length, 1);
      const [only] = configuration.interference_windows;
      assert.equal(only!.others_cores, configuration.interference_cores, 'the column is the most over its windows');
      assert.equal(only!.quiet_after_wait, false);
      assert.ok(only!.wall_ms > 0 && only!.load_avg_1m !== null);
    }
    const page = readFileSync(join(out, 'report.html'), 'utf8');
    assert.match(page, /Measured under interference/);
    assert.match(page, /<a href="#interference">Interference<\/a>/);
    assert.match(page, /2 of 2 rows were measured under interference: other processes kept up to [\d.]+ cores busy \(limit 0\.25\); not fit to publish/);
  });
});
