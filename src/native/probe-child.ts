/**
 * The native probe's child (src/native/probe.ts): loads tfjs-node the way every engine
 * does (shim included) and runs an op. On Node 23+ without the shim tfjs-node loads but
 * its ops throw, so loading alone proves little. Exits non-zero, with the error on
 * stderr, when either fails; otherwise prints one JSON line: the TensorFlow version the
 * loaded library reports (TF_Version: the file names under deps/lib say 2.9.1 whatever
 * was linked) and tfjs-node's own.
 */
import { requireTfjsNode } from './load-tfjs.js';

const tf = requireTfjsNode();
const sum = tf.matMul(tf.ones([2, 3]), tf.ones([3, 2])).sum().dataSync()[0];
if (sum !== 12) throw new Error(`tfjs-node computed ${sum} for a sum that is 12`);
const binding = (tf.backend() as unknown as { binding?: { TF_Version?: unknown } }).binding;
// tfjs-node merges its own version into tfjs's (absent from tfjs-core's types).
const versions = ((tf as unknown as { version?: Record<string, string | undefined> }).version ?? {});
console.log(JSON.stringify({ tensorflow: typeof binding?.TF_Version === 'string' ? binding.TF_Version : null, tfjs_node: versions['tfjs-node'] ?? null }));
