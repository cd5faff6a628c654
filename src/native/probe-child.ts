/**
 * The native probe's child (src/native/probe.ts): loads tfjs-node the way every engine
 * does (shim included) and runs an op. On Node 23+ without the shim tfjs-node loads but
 * its ops throw, so loading alone proves little. Exits non-zero, with the error on
 * stderr, when either fails.
 */
import { requireTfjsNode } from '../engines/tfjs/load.js';

const tf = requireTfjsNode();
const sum = tf.matMul(tf.ones([2, 3]), tf.ones([3, 2])).sum().dataSync()[0];
if (sum !== 12) throw new Error(`tfjs-node computed ${sum} for a sum that is 12`);
