/**
 * Where the `wasm` kernel's module lives and whether this runtime can run it. Shared by the
 * kernel (inside the workers, workers/kernels/wasm.ts) and the kernel registry and the
 * environment report (on the main thread), so the check that marks the kernel unavailable
 * and the code that loads it agree.
 */
import { existsSync, readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { wasmFile } from '../layout.js';

/** The module compiled from asm/kernel.ts by `npm run build`, in dist/workers/kernels/ or the bundle's folder (src/layout.ts). */
export const WASM_KERNEL_FILE = wasmFile('wasm-kernel.wasm');
/** The same source built with relaxed SIMD: its multiply-adds are f32x4.relaxed_madd (FMA). */
export const WASM_RELAXED_KERNEL_FILE = wasmFile('wasm-kernel-relaxed.wasm');

/** Which build of the kernel runs: relaxed SIMD (FMA) or plain SIMD128 (multiply, then add). */
export type WasmSimdPath = 'relaxed' | 'simd128';

/** Forces a path (`simd128` or `relaxed`) instead of the automatic choice; read in every worker too. */
export const WASM_SIMD_ENV = 'TRIPLET_BENCH_WASM_SIMD';

/**
 * Relaxed SIMD shipped in V8 11.4: Node 22 and later have it. Node 20 (V8 11.3) has it
 * behind --experimental-wasm-relaxed-simd, and V8 reads that flag when it validates and
 * compiles a module, so setting it from inside the process (node:v8 setFlagsFromString)
 * before the first compile enables it for every thread: tried on Node 20.20, the module
 * fails validation before and passes after, in the main thread and in workers started
 * later, and test/wasm-kernel.test.ts runs the relaxed build against the reference.
 * Validating the built module is the exact test.
 */
export function relaxedSimdSupported(): boolean {
  if (relaxedSupported === undefined) {
    if (!existsSync(WASM_RELAXED_KERNEL_FILE)) return (relaxedSupported = false);
    const bytes = readFileSync(WASM_RELAXED_KERNEL_FILE);
    relaxedSupported = WebAssembly.validate(bytes);
    if (!relaxedSupported && RELAXED_BEHIND_FLAG.test(process.versions.v8)) {
      setFlagsFromString('--experimental-wasm-relaxed-simd');
      relaxedSupported = WebAssembly.validate(bytes);
    }
  }
  return relaxedSupported;
}

/** V8 11.x before 11.4 (Node 20) has relaxed SIMD behind a flag. */
const RELAXED_BEHIND_FLAG = /^11\.[0-3]\./;

let relaxedSupported: boolean | undefined;

/**
 * The path the kernel takes here: relaxed where the runtime supports it, because it
 * measured faster (see workers/kernels/wasm.ts), unless WASM_SIMD_ENV says otherwise.
 */
export function wasmSimdPath(): WasmSimdPath {
  const forced = process.env[WASM_SIMD_ENV] ?? 'auto';
  if (forced === 'simd128' || forced === 'relaxed') return forced;
  if (forced === 'auto' || forced === '') return relaxedSimdSupported() ? 'relaxed' : 'simd128';
  throw new Error(`${WASM_SIMD_ENV} must be auto, simd128 or relaxed, not "${forced}"`);
}

/** The module file of a path. */
export function wasmKernelFile(path: WasmSimdPath): string {
  return path === 'relaxed' ? WASM_RELAXED_KERNEL_FILE : WASM_KERNEL_FILE;
}

/**
 * The smallest module that needs both features the kernel uses: it imports a shared
 * memory (threads proposal) and its one function does a v128.load (SIMD).
 */
const SIMD_THREADS_PROBE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
  // type section: () -> v128
  0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b,
  // import section: env.m, memory, shared, 1..1 pages
  0x02, 0x0b, 0x01, 0x03, 0x65, 0x6e, 0x76, 0x01, 0x6d, 0x02, 0x03, 0x01, 0x01,
  // function section: one function of type 0
  0x03, 0x02, 0x01, 0x00,
  // code section: i32.const 0; v128.load; end
  0x0a, 0x0a, 0x01, 0x08, 0x00, 0x41, 0x00, 0xfd, 0x00, 0x04, 0x00, 0x0b,
]);

/** Why the wasm kernel cannot run here, with the fix; undefined when it can. */
export function wasmKernelUnavailable(): { reason: string; fix: string } | undefined {
  if (typeof WebAssembly !== 'object') {
    return { reason: 'this runtime has no WebAssembly', fix: 'run on Node.js 20.19 or later built with WebAssembly' };
  }
  if (!WebAssembly.validate(SIMD_THREADS_PROBE)) {
    return { reason: 'WebAssembly SIMD or shared memory (threads) is not supported by this runtime', fix: 'run on Node.js 20.19 or later without flags that disable wasm SIMD or threads' };
  }
  try {
    new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
  } catch {
    return { reason: 'shared WebAssembly.Memory cannot be created here', fix: 'run on Node.js 20.19 or later' };
  }
  if (!existsSync(WASM_KERNEL_FILE)) {
    return { reason: `the wasm kernel is not built (${WASM_KERNEL_FILE} is missing)`, fix: 'run `npm run build`' };
  }
  let path: WasmSimdPath;
  try {
    path = wasmSimdPath();
  } catch (error) {
    return { reason: (error as Error).message, fix: `unset ${WASM_SIMD_ENV}` };
  }
  if (path === 'relaxed' && !relaxedSimdSupported()) {
    return { reason: `${WASM_SIMD_ENV}=relaxed, but this runtime has no relaxed SIMD (Node 20 has it behind a flag set here, Node 22 and later by default)`, fix: `unset ${WASM_SIMD_ENV}` };
  }
  return undefined;
}
