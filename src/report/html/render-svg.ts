/**
 * vega-lite spec to SVG text, in Node with no canvas or DOM: vega-lite compiles the spec
 * to vega, and a headless vega View renders SVG.
 */
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

/** Renders the spec as an SVG element to inline in HTML. */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    const svg = await view.toSVG();
    // Inline SVG in HTML takes its namespace from the parser; the xmlns declarations are
    // the page's only URLs, and a page that names no address is easy to check offline.
    return svg.replace(/ xmlns(:xlink)?="[^"]*"/g, '');
  } finally {
    view.finalize();
  }
}
