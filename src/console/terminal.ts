/**
 * What stderr can show. A bar redraws itself with cursor escapes, so it needs a terminal
 * that moves the cursor: TERM=dumb (Emacs shells, some CI consoles) printed the escapes as
 * text. Its block characters are UTF-8, which a C or POSIX locale shows as mojibake (issue
 * 23, item 12): there the bar is drawn in ASCII.
 */
import cliProgress from 'cli-progress';

/** Whether `stream` is a terminal that can redraw a bar in place. */
export function canRedraw(stream: NodeJS.WriteStream = process.stderr, env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(stream.isTTY) && env['TERM'] !== 'dumb';
}

/** Whether the locale's characters are UTF-8: LC_ALL, else LC_CTYPE, else LANG, as setlocale(3) reads them; unset is the C locale. */
export function utf8Locale(env: NodeJS.ProcessEnv = process.env): boolean {
  const locale = env['LC_ALL'] || env['LC_CTYPE'] || env['LANG'] || 'C';
  return /utf-?8/i.test(locale);
}

/** The bar's characters: blocks in a UTF-8 locale, `=` and `-` otherwise. */
export function barPreset(env: NodeJS.ProcessEnv = process.env): cliProgress.Preset {
  return utf8Locale(env) ? cliProgress.Presets.shades_classic : cliProgress.Presets.legacy;
}
