// The report's stylesheet (inline: the page needs no network).

export const REPORT_STYLE = `
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:0 auto;max-width:1260px;padding:16px;color:#1b1b1b;background:#fff}
h1{font-size:22px;margin:0 0 12px}
h2{font-size:18px;border-bottom:1px solid #ddd;padding-bottom:4px;margin-top:28px}
h2 .kind{font-family:ui-monospace,monospace;font-size:14px;color:#555;font-weight:normal}
h2 .entries,.detail{font-size:13px;color:#777;font-weight:normal}
h3{font-size:14px;margin:12px 0 4px;font-weight:normal}
pre{margin:0;font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px;white-space:pre-wrap}
pre.script{background:#f6f6f6;padding:8px;border-radius:4px}
table{border-collapse:collapse;font-size:13px}
table.facts th{text-align:left;padding:2px 16px 2px 0;color:#555;font-weight:normal}
table.facts td{font-family:ui-monospace,monospace}
nav{margin:12px 0;font-family:ui-monospace,monospace;font-size:13px}
nav a{margin-right:12px}
table.bars{width:100%;max-width:1000px}
table.bars th{text-align:left;font-family:ui-monospace,monospace;font-weight:normal;padding:1px 12px 1px 0;vertical-align:top;white-space:nowrap;max-width:420px;overflow:hidden;text-overflow:ellipsis}
table.bars td.bar{width:60%;padding:2px 0}
table.bars td.bar span{display:block;height:14px;min-width:1px;border-radius:2px}
table.bars td.bar span.pos{background:#e8743b}
table.bars td.bar span.neg{background:#4b7bd1}
td.num{text-align:right;font-family:ui-monospace,monospace;padding-left:12px;white-space:nowrap}
table.values td,table.values th,table.output td,table.output th{border-bottom:1px solid #eee;padding:3px 10px 3px 0;text-align:left;vertical-align:top}
table.values td{font-family:ui-monospace,monospace}
.flame svg{max-width:100%;height:auto}
.empty,.nokey{color:#888}
`;
