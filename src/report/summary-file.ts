/**
 * The file name of the Markdown summary in a run folder, alone in its module so that
 * whatever lists a run folder's files (src/files/) names it without loading the report code.
 */
export const SUMMARY_FILE = 'summary.md';
