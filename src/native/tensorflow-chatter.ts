/**
 * TensorFlow's own lines on a child's stderr: its start-up banner, which no log level
 * silences (src/native/quiet-load.ts), and its INFO and WARNING log lines. The children
 * (tfjs hosts, roofline, baseline) pipe their stderr to us and quote its last lines when
 * they die: those lines are not the reason, so they are dropped. TensorFlow's errors stay.
 */

/** absl's notice, printed before the first line TensorFlow logs. */
const ABSL_NOTICE = /^WARNING: All log messages before absl::InitializeLog\(\)/;
/** An absl log line of severity I or W (`I0000 00:00:1796432171.545361   13345 port.cc:153] ...`: before absl is initialised, seconds since 1970), or TensorFlow's own format. */
const INFO_OR_WARNING = /^[IW]\d{4} \d\d:\d\d:\d+\.\d+ +\d+ [^\]]+:\d+\] |^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+: [IW] [^\]]+:\d+\] /;
/** The second line of cpu_feature_guard's INFO notice. */
const FEATURE_GUARD_TAIL = /^To enable the following instructions: .*rebuild TensorFlow with the appropriate compiler flags\.$/;

/** Whether `line` (one line of a child's stderr) is TensorFlow's chatter, not a reason for anything. */
export function isTensorflowChatter(line: string): boolean {
  return ABSL_NOTICE.test(line) || INFO_OR_WARNING.test(line) || FEATURE_GUARD_TAIL.test(line);
}

/** The lines of `text` worth quoting: not empty, not TensorFlow's chatter. */
export function reasonLines(text: string): string[] {
  return text.split('\n').filter((line) => line.trim() !== '' && !isTensorflowChatter(line));
}
