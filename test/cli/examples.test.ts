// Every example script runs on the default workload, ends by itself, and prints something.

import { describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../../src/cli/run_cli';
import { memoryIo } from '../../src/cli/io';

const dir = join(__dirname, '..', '..', 'examples');
const scripts = readdirSync(dir).filter((f) => f.endsWith('.bt'));

describe('examples', () => {
  it.each(scripts)('%s', async (script) => {
    const io = memoryIo({ cwd: dir });
    const status = await runCli([script], io);
    expect(io.stderr()).toBe('');
    expect(status).toBe(0);
    expect(io.stdout().split('\n').length).toBeGreaterThan(4);
  });
});
