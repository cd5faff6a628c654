/**
 * A part of report.html below its first screen: folded, opened by a click on its title,
 * so the answer stays on the first screen and the detail is one click away.
 */
import { escapeHtml } from './escape.js';

/** `body` under the heading `title`, folded; `id` is its anchor. */
export function part(id: string, title: string, body: string): string {
  return `<details class="part" id="${id}"><summary><h2>${escapeHtml(title)}</h2></summary>${body}</details>`;
}
