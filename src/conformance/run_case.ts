// Runs one differential conformance case through the CLI, in-process, as its README says:
// `bpfscope [flags] NAME.bt [args]` from inside cases/, BPFTRACE_* cleared, .env set.

import { runCli } from '../cli/run_cli';
import { memoryIo } from '../cli/io';
import type { CaseOutcome, ConformanceCase } from './cases';

export async function runConformanceCase(c: ConformanceCase): Promise<CaseOutcome> {
  const io = memoryIo({ env: { ...c.env }, cwd: c.dir });
  let status: number;
  try {
    status = await runCli([...c.flags, `${c.name}.bt`, ...c.args], io);
  } catch (e) {
    return {
      status: -1,
      stdout: io.stdout(),
      stderr: `${io.stderr()}\ninternal error: ${(e as Error).stack}`,
    };
  }
  return { status, stdout: io.stdout(), stderr: io.stderr() };
}
