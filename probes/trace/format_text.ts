// Writes a TracepointFormat back as the text of a tracefs `format` file (without print fmt),
// so that a trace header can carry the formats its records were laid out by.

import type { TracepointFormat } from '../../compiler/host';

export function formatText(format: TracepointFormat): string {
  const lines = [`name: ${format.name}`, `ID: ${format.id}`, 'format:'];
  let commonDone = false;
  for (const f of format.fields) {
    if (!commonDone && !f.name.startsWith('common_')) {
      lines.push('');
      commonDone = true;
    }
    lines.push(
      `\tfield:${f.declaration};\toffset:${f.offset};\tsize:${f.size};\tsigned:${f.signed ? 1 : 0};`,
    );
  }
  return lines.join('\n') + '\n';
}
