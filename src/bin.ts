/**
 * The CLI as a program: the entry of the bundle (scripts/bundle.mjs). The package's bin,
 * bin/triplet-bench.js, does the same from dist/ after checking that dist/ is built.
 */
import { main } from './cli.js';

process.exitCode = await main(process.argv.slice(2));
