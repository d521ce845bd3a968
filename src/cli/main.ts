// The `bpfscope` executable.

import { runCli } from './run_cli';
import { processIo } from './io';

// A reader that goes away (`bpfscope … | head`) ends the run quietly, as for any Unix filter.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

runCli(process.argv.slice(2), processIo()).then(
  (status) => {
    process.exitCode = status;
  },
  (error: unknown) => {
    // An internal error is a bug; say so plainly, with the trace to report it.
    process.stderr.write(
      `bpfscope: internal error (please report): ${(error as Error)?.stack ?? error}\n`,
    );
    process.exitCode = 2;
  },
);
