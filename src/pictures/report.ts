// The HTML report (--report): one self-contained page (inline style and script, no network)
// with the run's facts, every map at exit (report_maps.ts) and the printed messages with
// their times.

import type { MapSnapshot } from '../output/snapshot';
import { FLAME_SCRIPT } from './flame_script';
import { mapSection } from './report_maps';
import { REPORT_STYLE } from './report_style';
import type { LoggedMessage, RunFacts, RunLog } from './run_log';
import { displayText, escapeMarkup, groupDigits } from './text';

export function reportHtml(facts: RunFacts, snapshots: MapSnapshot[], log: RunLog): string {
  const ids = snapshots.map((_, i) => `map-${i + 1}`);
  const nav = snapshots
    .map((s, i) => `<a href="#${ids[i]}">${escapeMarkup(displayText(s.name))}</a>`)
    .concat('<a href="#output">output</a>')
    .join(' ');
  const title = `bpfscope report: ${displayText(facts.scriptName)}`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeMarkup(title)}</title>
<style>${REPORT_STYLE}</style>
</head>
<body>
<header>
<h1>${escapeMarkup(title)}</h1>
${factsTable(facts, log)}
${facts.script !== undefined ? `<details open><summary>Script</summary><pre class="script">${escapeMarkup(displayText(facts.script))}</pre></details>` : ''}
<nav>${nav}</nav>
</header>
<main>
${snapshots.length === 0 ? '<p class="empty">The program has no maps.</p>' : snapshots.map((s, i) => mapSection(s, ids[i])).join('')}
${outputSection(log)}
</main>
<script>${FLAME_SCRIPT}
Array.prototype.forEach.call(document.querySelectorAll('svg.bpfscope-flame'), bpfscopeFlame);
</script>
</body>
</html>
`;
}

function factsTable(facts: RunFacts, log: RunLog): string {
  const rows: [string, string][] = [
    ['script', displayText(facts.scriptName)],
    ['source', displayText(facts.source)],
    ['duration', `${seconds(facts.durationNs)} s`],
    ['events', groupDigits(BigInt(facts.events))],
    ['lost events', groupDigits(BigInt(facts.lostEvents))],
    ['printed messages', groupDigits(BigInt(log.printed))],
    ['exit code', String(facts.exitCode)],
  ];
  return `<table class="facts">${rows.map(([k, v]) => `<tr><th>${k}</th><td>${escapeMarkup(v)}</td></tr>`).join('')}</table>`;
}

function outputSection(log: RunLog): string {
  const head = `<section id="output"><h2>Output <span class="entries">${groupDigits(BigInt(log.printed))} messages</span></h2>\n`;
  if (log.printed === 0) return `${head}<p class="empty">(nothing printed)</p></section>\n`;
  const rows = log.messages.map(messageRow).join('\n');
  const more =
    log.printed > log.messages.length
      ? `<p class="detail">The first ${groupDigits(BigInt(log.messages.length))} messages are shown.</p>`
      : '';
  return `${head}<table class="output"><thead><tr><th>time (s)</th><th>type</th><th>text</th></tr></thead><tbody>${rows}</tbody></table>${more}</section>\n`;
}

function messageRow(m: LoggedMessage): string {
  const text =
    escapeMarkup(displayText(m.text)) + (m.truncated ? '<span class="detail"> …</span>' : '');
  return `<tr><td class="num">+${seconds(m.offsetNs)}</td><td>${m.type}</td><td><pre>${text}</pre></td></tr>`;
}

/** Nanoseconds as seconds with six decimals. */
function seconds(ns: bigint): string {
  const negative = ns < 0n;
  const micros = (negative ? -ns : ns) / 1000n;
  return `${negative ? '-' : ''}${micros / 1_000_000n}.${(micros % 1_000_000n).toString().padStart(6, '0')}`;
}
