/** TensorFlow's own lines, as a test looks for them in a command's stderr (quiet output: issue 22, item 8). */

/** Any of TensorFlow's lines: the start-up banner, oneDNN's and the feature guard's notes, an INFO or WARNING log line. */
export const TENSORFLOW_LINE = /absl::InitializeLog|oneDNN custom operations|cpu_feature_guard|^[IW]\d{4} \d\d:\d\d:\d\d/m;
