#!/usr/bin/env node
/**
 * `npm run bundle`: a folder that runs with nothing but `node` (no npm, no node_modules):
 *
 *   triplet-bench.js    the CLI (run, verify, report, compare, doctor, ...)
 *   worker.js           Piscina's own thread bootstrap (Piscina starts `<its dir>/worker.js`)
 *   shard-worker.js     the workers engine's tasks (workers/worker.ts)
 *   workload-thread.js  the thread that builds a workload (src/bench/workload-thread.ts)
 *   tfjs-host.js        the child of one tfjs configuration (src/engines/tfjs/host.ts)
 *   native-probe.js     the child that proves tfjs-node loads (src/native/probe-child.ts)
 *   roofline-child.js, gemm-worker.js, baseline-child.js   tfjs-node's matMul roofline
 *                       and baseline timing (src/roofline/, src/baseline/)
 *   bandwidth-worker.js the memory roof's STREAM threads (src/roofline/bandwidth.ts)
 *   wasm-kernel.wasm, wasm-kernel-relaxed.wasm   the two builds of asm/kernel.ts
 *   package.json        version, "type": "module", the version of every inlined package
 *   THIRD-PARTY-LICENSES.txt
 *
 * Every @tensorflow package stays outside: tfjs-node is a native addon built against a
 * local TensorFlow, so the bundle loads it (and the tfjs engines) only where Node's
 * resolution finds a copy: a node_modules above the bundle folder, or NODE_PATH.
 * src/layout.ts holds the file names the bundle's entries use to find each other.
 *
 * Usage: node scripts/bundle.mjs [--out DIR]   (default: bundle/; the wasm must be built)
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outArg = process.argv.indexOf('--out');
const OUT = resolve(outArg > 0 ? process.argv[outArg + 1] ?? '' : join(ROOT, 'bundle'));
const WASM_DIR = join(ROOT, 'dist', 'workers', 'kernels');
const WASM_FILES = ['wasm-kernel.wasm', 'wasm-kernel-relaxed.wasm'];
const own = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

const ENTRIES = {
  'triplet-bench': 'src/bin.ts',
  worker: 'node_modules/piscina/dist/worker.js',
  'shard-worker': 'workers/worker.ts',
  'workload-thread': 'src/bench/workload-thread.ts',
  'tfjs-host': 'src/engines/tfjs/host.ts',
  'native-probe': 'src/native/probe-child.ts',
  'roofline-child': 'src/roofline/gemm-child.ts',
  'gemm-worker': 'src/roofline/gemm-worker.ts',
  'bandwidth-worker': 'src/roofline/bandwidth-worker.ts',
  'baseline-child': 'src/baseline/child.ts',
};

/**
 * Our modules take `require` from createRequire(import.meta.url) (the tsc build is ESM).
 * Dropping that line hands their string requires to esbuild: a package it can inline
 * (@stdlib/stats-ttest2) is inlined and still evaluated on first call; an external one
 * (@tensorflow/*) is left to the `require` the banner makes, relative to the bundle.
 */
const CREATE_REQUIRE = /^const require = createRequire\(import\.meta\.url\);$/m;
let requireLinesDropped = 0;
const inlineRequires = {
  name: 'inline-requires',
  setup(b) {
    b.onLoad({ filter: /[\\/](src|workers)[\\/].*\.ts$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      if (!CREATE_REQUIRE.test(source)) return undefined;
      requireLinesDropped++;
      return { contents: source.replace(CREATE_REQUIRE, ''), loader: 'ts' };
    });
  },
};

// CommonJS packages (Piscina, commander) read __dirname and require: give every file its own.
const BANNER = [
  '#!/usr/bin/env node',
  "import { createRequire as __tbCreateRequire } from 'node:module';",
  "import { fileURLToPath as __tbFileURLToPath } from 'node:url';",
  "import { dirname as __tbDirname } from 'node:path';",
  'const require = __tbCreateRequire(import.meta.url);',
  'const __filename = __tbFileURLToPath(import.meta.url);',
  'const __dirname = __tbDirname(__filename);',
].join('\n');

function fail(message) {
  console.error(`bundle: ${message}`);
  process.exit(1);
}

for (const file of WASM_FILES) {
  if (!existsSync(join(WASM_DIR, file))) fail(`${join(WASM_DIR, file)} is missing; run \`npm run build:wasm\` first`);
}

rmSync(OUT, { recursive: true, force: true });
mkdirSync(OUT, { recursive: true });
const result = await build({
  absWorkingDir: ROOT,
  entryPoints: ENTRIES,
  outdir: OUT,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  minify: true,
  keepNames: true,
  legalComments: 'none',
  metafile: true,
  logLevel: 'warning',
  // canvas: vega's optional raster output; @napi-rs/nice: Piscina's optional niceIncrement
  // (a native addon; we never set it). Both are required inside a try and may be absent.
  external: ['@tensorflow/*', 'canvas', '@napi-rs/nice'],
  define: { TRIPLET_BENCH_BUNDLED: 'true' },
  banner: { js: BANNER },
  plugins: [inlineRequires],
});
if (result.errors.length > 0) fail(`${result.errors.length} errors`);
if (requireLinesDropped === 0) fail('no createRequire line found to inline; scripts/bundle.mjs is out of date with src/');

for (const file of WASM_FILES) copyFileSync(join(WASM_DIR, file), join(OUT, file));

// Every package inlined, with its version and licence text, from the inputs esbuild read.
const packages = new Map();
for (const input of Object.keys(result.metafile.inputs)) {
  const match = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
  if (!match) continue;
  const dir = join(ROOT, input.slice(0, match.index + match[0].length));
  if (!packages.has(match[1])) packages.set(match[1], dir);
}
const bundledVersions = {};
// Licence text -> the packages under it (the 200-odd @stdlib packages share one).
const licences = new Map();
for (const [name, dir] of [...packages].sort(([a], [b]) => a.localeCompare(b))) {
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  bundledVersions[name] = pkg.version;
  const licenceFile = readdirSync(dir).find((file) => /^(licen[cs]e|copying)(\.|$)/i.test(file));
  const text = licenceFile ? readFileSync(join(dir, licenceFile), 'utf8').trim() : `(no licence file; package.json says ${pkg.license ?? 'nothing'})`;
  licences.set(text, [...(licences.get(text) ?? []), `${name} ${pkg.version} (${pkg.license ?? 'unknown'})`]);
}
const licenceSections = [...licences].map(([text, names]) => `${names.join('\n')}\n\n${text}\n`);
writeFileSync(join(OUT, 'THIRD-PARTY-LICENSES.txt'), licenceSections.join(`\n${'-'.repeat(72)}\n\n`));
const manifest = {
  name: own.name,
  version: own.version,
  description: `${own.description} (self-contained bundle: run it with node triplet-bench.js)`,
  license: own.license,
  private: true,
  type: 'module',
  engines: own.engines,
  bin: { 'triplet-bench': 'triplet-bench.js' },
  bundledVersions,
};
writeFileSync(join(OUT, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);

const bytes = readdirSync(OUT).reduce((sum, file) => sum + statSync(join(OUT, file)).size, 0);
console.log(`bundle: ${relative(process.cwd(), OUT) || '.'}/ (${readdirSync(OUT).length} files, ${(bytes / 1024 / 1024).toFixed(1)} MB, ${packages.size} packages inlined); run: node ${join(relative(process.cwd(), OUT) || '.', 'triplet-bench.js')} run --engines workers`);
