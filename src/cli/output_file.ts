// Where a run's output goes, written as it is produced: standard output or the `-o` file.
// The file is opened before any probe attaches and written in place — never a temporary file
// renamed over it — so /dev/null, FIFOs, symlinks, hard links and permissions stay as they were
// and `tail -f` follows the run.

import { closeSync, lstatSync, openSync, realpathSync, writeSync } from 'node:fs';
import { renameSync, statSync, unlinkSync, writeFileSync, chmodSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';

/** `-B`: 'none' writes each piece at once, 'line' at each newline, 'full' when 64 KiB are
 *  held; without -B, output goes out when the run loop finishes a batch of events. */
export type Buffering = 'full' | 'line' | 'none' | undefined;

const FULL_BUFFER = 64 * 1024;

/** Bytes on their way out, held as -B asks. */
export class OutputSink {
  private held: Uint8Array[] = [];
  private heldBytes = 0;

  constructor(
    private readonly writeOut: (bytes: Uint8Array) => void,
    private readonly buffering: Buffering,
  ) {}

  write(chunk: string | Uint8Array): void {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'latin1') : chunk;
    if (bytes.length === 0) return;
    this.held.push(bytes);
    this.heldBytes += bytes.length;
    if (
      this.buffering === 'none' ||
      this.heldBytes >= FULL_BUFFER ||
      (this.buffering === 'line' && bytes.includes(0x0a))
    )
      this.flush();
  }

  get holds(): boolean {
    return this.heldBytes > 0;
  }

  /** Writes what is held; 'full' buffering holds on until the end or a full buffer. */
  endOfBatch(): void {
    if (this.buffering !== 'full') this.flush();
  }

  flush(): void {
    if (this.heldBytes === 0) return;
    const bytes = this.held.length === 1 ? this.held[0]! : Buffer.concat(this.held);
    this.held = [];
    this.heldBytes = 0;
    this.writeOut(bytes);
  }
}

export class OutputFileError extends Error {}

const REASONS: Record<string, string> = {
  ENOENT: 'No such file or directory',
  EACCES: 'Permission denied',
  EISDIR: 'Is a directory',
  ENOTDIR: 'Not a directory',
  EROFS: 'Read-only file system',
  ENOSPC: 'No space left on device',
  ENXIO: 'No such device or address',
  ELOOP: 'Too many levels of symbolic links',
};

function reason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code ?? '';
  return REASONS[code] ?? (e as Error).message;
}

/** A file the run writes as it goes (the `-o` output, a `--record` trace). */
export class StreamedFile {
  private constructor(
    private fd: number | undefined,
    readonly shownAs: string,
    private readonly created: string | undefined,
  ) {}

  /** Opens `path` for writing in place (truncated, following symlinks; a FIFO waits for its
   *  reader). `what` names the file in the message bpftrace 0.17 prints when it cannot. */
  static open(path: string, shownAs: string, what: string): StreamedFile {
    let existed = true;
    try {
      lstatSync(path);
    } catch {
      existed = false;
    }
    try {
      const fd = openSync(path, 'w');
      return new StreamedFile(fd, shownAs, existed ? undefined : path);
    } catch (e) {
      throw new OutputFileError(`Failed to open ${what}: "${shownAs}": ${reason(e)}`);
    }
  }

  write(bytes: Uint8Array): void {
    if (this.fd === undefined) return;
    let offset = 0;
    try {
      while (offset < bytes.length)
        offset += writeSync(this.fd, bytes, offset, bytes.length - offset);
    } catch (e) {
      throw new OutputFileError(`cannot write ${this.shownAs}: ${reason(e)}`);
    }
  }

  close(): void {
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
  }

  /** Closes after a failed run; a file this run created is removed, since it holds no
   *  complete result. A file that existed was written in place and keeps what was written. */
  abandon(): void {
    this.close();
    if (this.created === undefined) return;
    try {
      unlinkSync(this.created);
    } catch {
      // already gone
    }
  }
}

/** Writes a whole file all-or-nothing (`--emit-elf`): a regular file (or a new one) is written
 *  beside its target and renamed over it, keeping the target's mode; anything else (a device,
 *  a FIFO, a symlink to one) is written in place, never replaced. */
export function writeWholeFile(path: string, bytes: Uint8Array, shownAs: string): void {
  let target = path;
  let mode: number | undefined;
  try {
    target = realpathSync(path);
    const stat = statSync(target);
    if (!stat.isFile()) {
      const file = StreamedFile.open(target, shownAs, 'output file');
      file.write(bytes);
      file.close();
      return;
    }
    mode = stat.mode & 0o7777;
  } catch (e) {
    if (e instanceof OutputFileError) throw e;
    // A new file: written beside where it will be.
  }
  const temporary = join(dirname(target), `.${basename(target)}.tmp-${process.pid}`);
  try {
    writeFileSync(temporary, bytes);
    if (mode !== undefined) chmodSync(temporary, mode);
    renameSync(temporary, target);
  } catch (e) {
    try {
      unlinkSync(temporary);
    } catch {
      // nothing was written
    }
    throw new OutputFileError(`cannot write ${shownAs}: ${reason(e)}`);
  }
}
