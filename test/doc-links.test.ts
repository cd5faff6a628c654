/**
 * The README and docs/ stay navigable (issue 24, items 5 and 6): every relative link in
 * README.md and docs/*.md reaches a file that exists, and a link with an anchor reaches a
 * heading of that page, by GitHub's rule for heading anchors. Each docs page opens with
 * the question it answers, and the README keeps the test command CI runs.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DOCS = join(ROOT, 'docs');
const PAGES = [join(ROOT, 'README.md'), ...readdirSync(DOCS).filter((name) => name.endsWith('.md')).map((name) => join(DOCS, name))];

/** The text outside fenced code blocks and indented code, where links and headings count. */
function proseLines(text: string): string[] {
  const lines: string[] = [];
  let fenced = false;
  for (const line of text.split('\n')) {
    if (line.startsWith('```')) fenced = !fenced;
    else if (!fenced && !line.startsWith('    ')) lines.push(line);
  }
  return lines;
}

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces to hyphens; repeats get -1, -2. */
function anchorsOf(file: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const line of proseLines(readFileSync(file, 'utf8'))) {
    const heading = /^#{1,6}\s+(.*)$/.exec(line);
    if (!heading) continue;
    const slug = heading[1]!.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
    const count = seen.get(slug) ?? 0;
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
    seen.set(slug, count + 1);
  }
  return anchors;
}

/** Every relative link target of a page, as written. */
function linksOf(file: string): string[] {
  const targets: string[] = [];
  for (const line of proseLines(readFileSync(file, 'utf8'))) {
    for (const match of line.matchAll(/\]\(([^)\s]+)\)/g)) {
      const target = match[1]!;
      if (!/^[a-z]+:/i.test(target)) targets.push(target);
    }
  }
  return targets;
}

describe('links in README.md and docs/', () => {
  for (const page of PAGES) {
    it(`${relative(ROOT, page)}: every relative link and anchor resolves`, () => {
      const broken: string[] = [];
      for (const target of linksOf(page)) {
        const [path = '', anchor] = target.split('#');
        const file = path === '' ? page : resolve(dirname(page), path);
        if (!existsSync(file)) {
          broken.push(`${target}: no file ${relative(ROOT, file)}`);
        } else if (anchor !== undefined && statSync(file).isFile() && file.endsWith('.md') && !anchorsOf(file).has(anchor)) {
          broken.push(`${target}: no heading with anchor #${anchor} in ${relative(ROOT, file)}`);
        }
      }
      assert.deepEqual(broken, []);
    });
  }
});

describe('docs/ pages', () => {
  it('each opens with the question it answers', () => {
    const unasked = PAGES.filter((page) => page.startsWith(DOCS))
      .filter((page) => !/^# .+\?$/.test(readFileSync(page, 'utf8').split('\n', 1)[0] ?? ''))
      .map((page) => relative(ROOT, page));
    assert.deepEqual(unasked, []);
  });
});

describe('README.md', () => {
  it('keeps the test command CI runs (.ci/run runs `npm test`)', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    assert.match(readme, /^npm test\s+#/m);
    assert.match(readFileSync(join(ROOT, '.ci', 'run'), 'utf8'), /^npm test$/m);
  });
});
