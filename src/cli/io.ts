// Where the CLI reads and writes. The real process uses processIo(); tests and the
// conformance runner pass their own, so the whole CLI runs in-process.

export interface CliIo {
  writeStdout(chunk: string | Uint8Array): void;
  writeStderr(text: string): void;
  readStdin(): Promise<Uint8Array>;
  env: Record<string, string | undefined>;
  cwd: string;
  /** Calls `handler` on the first SIGINT or SIGTERM while a run is on; from then on a signal
   *  has its default effect (a second Ctrl-C ends the process at once). Returns the undo. */
  onStopSignal?(handler: () => void): () => void;
  /** True when stderr is a terminal (progress is shown there). */
  stderrIsTerminal?: boolean;
}

export function processIo(): CliIo {
  return {
    writeStdout: (chunk) => {
      process.stdout.write(typeof chunk === 'string' ? Buffer.from(chunk, 'latin1') : chunk);
    },
    writeStderr: (text) => {
      process.stderr.write(Buffer.from(text, 'latin1'));
    },
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return new Uint8Array(Buffer.concat(chunks));
    },
    env: process.env,
    cwd: process.cwd(),
    stderrIsTerminal: !!process.stderr.isTTY,
    onStopSignal: (handler) => {
      const release = () => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
      };
      const stop = () => {
        release();
        handler();
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
      return release;
    },
  };
}

/** An in-memory CliIo that records output, for tests. */
export function memoryIo(options: {
  env?: Record<string, string | undefined>;
  cwd?: string;
  stdin?: string | Uint8Array;
}): CliIo & { stdout(): string; stderr(): string } {
  const out: string[] = [];
  const err: string[] = [];
  const stdin = options.stdin ?? '';
  let stdinLeft = typeof stdin === 'string' ? new Uint8Array(Buffer.from(stdin, 'latin1')) : stdin;
  return {
    writeStdout: (chunk) => {
      out.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('latin1'));
    },
    writeStderr: (text) => {
      err.push(text);
    },
    // Like a real stream, standard input can be read to its end once.
    readStdin: async () => {
      const bytes = stdinLeft;
      stdinLeft = new Uint8Array(0);
      return bytes;
    },
    env: options.env ?? {},
    cwd: options.cwd ?? process.cwd(),
    stdout: () => out.join(''),
    stderr: () => err.join(''),
  };
}
