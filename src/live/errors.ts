// Errors of a live run that the CLI reports as one `ERROR:` line (exit status 1).

/** Every error a live run reports to the user (the CLI prints its message). */
export class LiveError extends Error {}

/** A probe that cannot be attached on this machine: names the probe and what is missing. */
export class LiveAttachError extends LiveError {}
