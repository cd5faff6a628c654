/**
 * vega-lite spec to SVG text, in Node with no canvas or DOM: vega-lite compiles the spec
 * to vega, and a headless vega View renders SVG.
 */
import type { TopLevelSpec } from 'vega-lite';

// Loaded on first use: vega and vega-lite take half a second to import, and most commands
// (and every bad command line) never draw a chart.
const libraries = () => Promise.all([import('vega'), import('vega-lite')]);

/** The SVG of a chart, and what vega-lite or vega warned while making it. */
export interface RenderedChart {
  readonly svg: string;
  /** A spec that draws what it means warns of nothing: tests hold every chart to that. */
  readonly warnings: readonly string[];
}

/** Renders the spec as an SVG element to inline in HTML. */
export async function renderSvg(spec: TopLevelSpec): Promise<RenderedChart> {
  const [vega, { compile }] = await libraries();
  const warnings: string[] = [];
  // Collected, not printed: a run's terminal is for its own progress.
  const logger = vega.logger(vega.Warn, 'warn', (_method, _level, args) => warnings.push(args.map(String).join(' ')));
  const view = new vega.View(vega.parse(compile(spec, { logger }).spec), { renderer: 'none', logger });
  try {
    const svg = await view.toSVG();
    // Inline SVG in HTML takes its namespace from the parser; the xmlns declarations are
    // the page's only URLs, and a page that names no address is easy to check offline.
    return { svg: svg.replace(/ xmlns(:xlink)?="[^"]*"/g, ''), warnings };
  } finally {
    view.finalize();
  }
}
