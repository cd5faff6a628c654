#!/usr/bin/env node
// Entry point of the `triplet-bench` bin: runs the compiled CLI from dist/.
import { existsSync } from 'node:fs';

const cli = new URL('../dist/src/cli.js', import.meta.url);
if (!existsSync(cli)) {
  console.error('triplet-bench: dist/ is missing; run `npm install` (or `npm run build`) in the project folder first');
  process.exit(2);
}
const { main } = await import(cli.href);
process.exitCode = await main(process.argv.slice(2));
