// Every conformance case parses, except those whose recorded bpftrace error is a parse
// error: those fail at the same first LINE:COL. The bpftrace 0.17 tools parse too.

import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderDiagnostics } from '../../grammar/diagnostics';
import { parse } from '../../grammar/index';
import { SHARED } from '../shared';

const CONFORMANCE = `${SHARED}/conformance`;
const parseErrorMessage =
  /^(syntax error|unexpected end of file|stoull|invalid escape|octal escape|Found trailing|Coefficient part|Exponent will|unterminated string|invalid character|end of file during comment|param \$|Tuples are immutable|No attach points)/;

function firstLocatedError(
  stderr: string,
  name: string,
): { location: string; message: string } | null {
  for (const line of stderr.split('\n')) {
    const m = new RegExp(`^${name.replace(/[.]/g, '\\.')}:(\\d+):(\\d+)-\\d+: ERROR: (.*)$`).exec(
      line,
    );
    if (m) return { location: `${m[1]}:${m[2]}`, message: m[3]! };
  }
  return null;
}

const cases = existsSync(`${CONFORMANCE}/cases`)
  ? readdirSync(`${CONFORMANCE}/cases`).filter((f) => f.endsWith('.bt'))
  : [];

describe.skipIf(cases.length === 0)('conformance cases', () => {
  for (const file of cases) {
    const name = file.slice(0, -3);
    it(name, () => {
      const source = readFileSync(`${CONFORMANCE}/cases/${file}`, 'utf8');
      const stderrPath = `${CONFORMANCE}/expected/${name}.stderr`;
      const stderr = existsSync(stderrPath) ? readFileSync(stderrPath, 'utf8') : '';
      const expected = firstLocatedError(stderr, file);
      const result = parse(source, file);
      if (expected && parseErrorMessage.test(expected.message)) {
        const d = result.diagnostics[0];
        expect(d?.range, 'a located parse error').toBeTruthy();
        expect(`${d!.range!.start.line}:${d!.range!.start.column}`).toBe(expected.location);
        expect(d!.message).toBe(expected.message);
      } else {
        expect(renderDiagnostics(result.diagnostics, file, source)).toBe('');
        expect(result.ast).not.toBeNull();
      }
    });
  }
});

function installedTools(): string[] {
  try {
    return execFileSync('dpkg', ['-L', 'bpftrace'], { encoding: 'utf8' })
      .split('\n')
      .filter((f) => f.endsWith('.bt') && existsSync(f));
  } catch {
    return [];
  }
}

const tools = installedTools();
describe.skipIf(tools.length === 0)('bpftrace 0.17 tools (dpkg -L bpftrace)', () => {
  for (const tool of tools) {
    it(tool, () => {
      const source = readFileSync(tool, 'utf8');
      const result = parse(source, tool);
      expect(renderDiagnostics(result.diagnostics, tool, source)).toBe('');
      expect(result.ast!.probes.length).toBeGreaterThan(0);
    });
  }
});
