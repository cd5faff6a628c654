/**
 * `triplet-bench setup-native [--from PATH]`: builds tfjs-node's binding against a
 * TensorFlow C library found locally. `npm install` runs it with --if-possible, so an
 * install never fails because of it.
 */
import { existsSync, statSync } from 'node:fs';
import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import { setupNative } from '../native/setup.js';

interface SetupOptions {
  from?: string;
  force?: boolean;
  ifPossible?: boolean;
}

/** Registers `setup-native` on the program. */
export function registerSetupNative(program: Command): void {
  program
    .command('setup-native')
    .description('build the native backend (tfjs-node) against a local TensorFlow C library: LIBTENSORFLOW_DIR, a Python TensorFlow, or a tensorflow-cpu wheel from pip')
    .option('--from <path>', 'a libtensorflow folder (lib/ + include/) or a Python tensorflow package folder')
    .option('--force', 'rebuild even if the binding is already built')
    .option('--if-possible', 'never fail: report and exit 0 (what npm install runs)')
    .action((opts: SetupOptions) => {
      if (opts.from !== undefined && !(existsSync(opts.from) && statSync(opts.from).isDirectory())) {
        throw new UsageError(`--from ${opts.from}: expected a folder (a libtensorflow with lib/ and include/, or a Python tensorflow package)`);
      }
      const log = (line: string) => console.error(`setup-native: ${line}`);
      const result = setupNative({ ...(opts.from !== undefined ? { from: opts.from } : {}), force: Boolean(opts.force), log });
      if (result.ok) {
        const built = result.library ? `native backend built against ${result.library.origin}` : 'native backend rebuilt';
        log(result.alreadyBuilt ? `native backend ready (${result.binding})` : `${built}: ${result.binding}`);
        log(result.threadSafe ? 'worker threads may run TensorFlow at once' : 'this binding is not safe across worker threads: the workers\' tfjs kernel runs its shards one at a time (setup-native --force rebuilds it)');
        return;
      }
      log(`native backend unavailable: ${result.reason}`);
      for (const miss of result.misses) log(`  ${miss.origin}: ${miss.reason}`);
      log('the other engines work without it; `npx triplet-bench doctor` tells what is available');
      if (!opts.ifPossible) process.exitCode = 1;
    });
}
