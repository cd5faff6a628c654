/**
 * One of T concurrent single-thread GEMM timers: a worker thread that loads tfjs-node
 * (the process was started with one intra-op thread), says it is ready, then times each
 * shape it is sent, all T workers sent theirs at once.
 */
import { parentPort } from 'node:worker_threads';
import { requireTfjsNode } from '../native/load-tfjs.js';
import type { Shape } from '../triplet/problem.js';
import { timeGemms } from './gemm-timing.js';

const tf = requireTfjsNode();
parentPort!.on('message', ({ shape, windowMs }: { shape: Shape; windowMs: number }) => parentPort!.postMessage(timeGemms(tf, shape, windowMs)));
parentPort!.postMessage('ready');
