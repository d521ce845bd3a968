// One HTML section per map for the report: hist/lhist as bar charts (the printed buckets),
// count/sum/min/max/avg as bars sorted largest first, stack maps as flame graphs, stats and
// other values as tables. Numbers are the printed ones (MapContents from the exit dump's path).

import { bucketLabel, printedRange } from '../output/histogram';
import type { HistEntry, MapContents } from '../output/mapdata';
import type { MapSnapshot } from '../output/snapshot';
import { valueText, type Value } from '../output/values';
import { flameGraphElement } from './flamegraph';
import { isStackMap, stackProfile } from './stacks';
import { displayText, escapeMarkup, groupDigits } from './text';

export function mapSection(snapshot: MapSnapshot, id: string): string {
  const name = escapeMarkup(displayText(snapshot.name));
  const body = isStackMap(snapshot.info)
    ? `<div class="flame">${flameGraphElement(stackProfile(snapshot), { title: `Flame graph of ${snapshot.name}` })}</div>`
    : contentsHtml(snapshot.contents);
  return (
    `<section class="map" id="${id}"><h2>${name} <span class="kind">${escapeMarkup(kindOf(snapshot))}</span>` +
    ` <span class="entries">${entryCount(snapshot.contents)}</span></h2>\n${body}</section>\n`
  );
}

export function kindOf(snapshot: MapSnapshot): string {
  const value = snapshot.info.value;
  if (value.kind === 'aggregation') {
    const a = value.aggregation;
    return a.kind === 'lhist' ? `lhist(${a.min}, ${a.max}, ${a.step})` : `${a.kind}()`;
  }
  return value.type.kind === 'int' ? 'integer' : value.type.kind;
}

function entryCount(contents: MapContents): string {
  const n = contents.entries.length;
  return n === 1 ? '1 entry' : `${groupDigits(BigInt(n))} entries`;
}

function contentsHtml(contents: MapContents): string {
  if (contents.entries.length === 0) return '<p class="empty">(empty)</p>';
  switch (contents.kind) {
    case 'number':
      return bars(contents.entries.map((e) => [e.keyParts, e.value, groupDigits(e.value)]));
    case 'avg':
      return bars(
        contents.entries.map((e) => [
          e.keyParts,
          e.average,
          `${groupDigits(e.average)} <span class="detail">(count ${groupDigits(e.count)})</span>`,
        ]),
      );
    case 'stats':
      return table(
        ['key', 'count', 'average', 'total'],
        contents.entries.map((e) => [
          keyHtml(e.keyParts),
          groupDigits(e.count),
          groupDigits(e.average),
          groupDigits(e.total),
        ]),
      );
    case 'hist':
    case 'lhist':
      return contents.entries
        .slice()
        .reverse()
        .map((e) => histogram(contents, e))
        .join('');
    case 'value':
      return table(
        ['key', 'value'],
        contents.entries.map((e) => [keyHtml(e.keyParts), textHtml(valueText(e.value))]),
      );
  }
}

/** Rows sorted largest first; bar lengths relative to the largest magnitude. */
function bars(rows: [Value[], bigint, string][]): string {
  const sorted = rows.slice().sort((a, b) => (a[1] > b[1] ? -1 : a[1] < b[1] ? 1 : 0));
  const largest = sorted.reduce((m, [, v]) => (abs(v) > m ? abs(v) : m), 0n);
  const rowsHtml = sorted.map(([parts, value, shown]) => {
    const width = largest === 0n ? 0 : Number((abs(value) * 10000n) / largest) / 100;
    return (
      `<tr><th>${keyHtml(parts)}</th><td class="bar"><span class="${value < 0n ? 'neg' : 'pos'}" style="width:${width}%"></span></td>` +
      `<td class="num">${shown}</td></tr>`
    );
  });
  return `<table class="bars">${rowsHtml.join('\n')}</table>\n`;
}

function histogram(scale: MapContents & { kind: 'hist' | 'lhist' }, entry: HistEntry): string {
  const range = printedRange(entry.buckets);
  const largest = range.reduce((m, i) => {
    const c = entry.buckets.get(i) ?? 0n;
    return c > m ? c : m;
  }, 0n);
  const rows = range.map((index) => {
    const count = entry.buckets.get(index) ?? 0n;
    const width = largest === 0n ? 0 : Number((count * 10000n) / largest) / 100;
    return (
      `<tr><th>${escapeMarkup(bucketLabel(scale, index))}</th><td class="bar"><span class="pos" style="width:${width}%"></span></td>` +
      `<td class="num">${groupDigits(count)}</td></tr>`
    );
  });
  const key = entry.keyParts.length > 0 ? `<h3>${keyHtml(entry.keyParts)}</h3>` : '';
  return (
    `<div class="hist">${key}<table class="bars">${rows.join('\n')}</table>` +
    `<p class="detail">${groupDigits(entry.total)} values</p></div>\n`
  );
}

function table(headings: string[], rows: string[][]): string {
  const head = headings.map((h) => `<th>${h}</th>`).join('');
  const body = rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('\n');
  return `<table class="values"><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>\n`;
}

/** A key as printed inside `@name[...]`; multi-line parts (stacks) keep their lines. */
function keyHtml(parts: Value[]): string {
  if (parts.length === 0) return '<span class="nokey">(no key)</span>';
  return textHtml(parts.map(valueText).join(', '));
}

function textHtml(byteString: string): string {
  const text = escapeMarkup(displayText(byteString));
  return byteString.includes('\n') ? `<pre>${text.replace(/^\n/, '')}</pre>` : text;
}

function abs(v: bigint): bigint {
  return v < 0n ? -v : v;
}
