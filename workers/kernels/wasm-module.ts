/**
 * Where the `wasm` kernel's module lives and whether this runtime can run it. Imported by
 * the kernel (inside the workers) and by the workers engine (on the main thread), so the
 * check that marks the kernel unavailable and the code that loads it agree.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The module compiled from asm/kernel.ts by `npm run build`, next to this file's compiled JS. */
export const WASM_KERNEL_FILE = fileURLToPath(new URL('./wasm-kernel.wasm', import.meta.url));

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
  return undefined;
}
