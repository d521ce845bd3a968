// Errors in user-supplied trace files: they name the file and line (DESIGN.md principle 5).

export class TraceFileError extends Error {
  constructor(
    readonly file: string,
    /** 1-based line; 0 when the problem is the file as a whole (missing, not gzip…). */
    readonly line: number,
    readonly detail: string,
    /** 1-based column when known. */
    readonly column = 1,
    /** The offending line's text, for rendering it under the message. */
    readonly sourceLine?: string,
  ) {
    super(line > 0 ? `${file}:${line}:${column}: ERROR: ${detail}` : `${file}: ERROR: ${detail}`);
    this.name = 'TraceFileError';
  }
}
