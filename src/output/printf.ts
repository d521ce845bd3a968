// bpftrace 0.17's piecewise printf (behaviour §45): the format is cut after each conversion,
// each piece goes through snprintf with one 64-bit argument (so `%%`, also with flags like `%5%`,
// becomes `%`, and a NUL ends it), and the text after the last conversion is written as is but
// for `%%`, which is `%` there too (0.17 printed `%%`; see stdlib/printf_format.ts).

import { formatConversion, type PrintfArg } from './cformat';
import { scanFormat, type FormatConversion } from '../../stdlib/printf_format';

/** `format` and the result are byte strings. */
export function formatPrintf(format: string, args: PrintfArg[]): string {
  const conversions = scanFormat(format);
  let out = '';
  let pos = 0;
  conversions.forEach((conversion, i) => {
    const arg = args[i] ?? { kind: 'int', value: 0n };
    out += snprintfPiece(
      format.slice(pos, conversion.end),
      conversion,
      conversion.start - pos,
      arg,
    );
    pos = conversion.end;
  });
  return out + format.slice(pos).replaceAll('%%', '%');
}

/** glibc's `%%` conversion: flags, width, precision and length are parsed, then ignored. */
const GLIBC_PERCENT = /^%[-+ #0']*[0-9]*(?:\.[0-9]*)?(?:hh|h|ll|l|L|q|j|z|Z|t)?%/;

/** snprintf(piece, arg) where the piece ends with `conversion`, which starts at `convStart`. */
function snprintfPiece(
  piece: string,
  conversion: FormatConversion,
  convStart: number,
  arg: PrintfArg,
): string {
  const nul = piece.indexOf('\0');
  const cText = nul >= 0 ? piece.slice(0, nul) : piece;
  let out = '';
  let i = 0;
  while (i < cText.length) {
    const percent = cText[i] === '%' ? GLIBC_PERCENT.exec(cText.slice(i)) : null;
    if (percent) {
      out += '%';
      i += percent[0].length;
    } else if (i === convStart && cText.length === piece.length) {
      out += formatConversion(conversion, arg);
      i = cText.length;
    } else {
      out += cText[i++];
    }
  }
  // snprintf's result is read back as a C string (a %c of 0 ends it).
  const end = out.indexOf('\0');
  return end >= 0 ? out.slice(0, end) : out;
}
