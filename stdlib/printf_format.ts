// bpftrace 0.17's printf format scanner, shared by the checker (argument count and types) and
// the output side (formatting). 0.17 cuts the format after each conversion and hands each
// piece to snprintf with one 64-bit argument; a conversion is `%`, an optional `-`, digits
// (a leading 0 pads with zeros), an optional `.digits` precision, then one of the specifiers
// below. `%%` is a literal percent sign. Anything else after `%` (`%i`, `%f`, `%+d`, `%#x`) is
// not a conversion: the scanner skips that `%` and goes on.
//
// 0.17's scanner did not know `%%` (`%%d` counted as a `%d` conversion, and a `%%` after the
// last conversion printed as `%%`); that loses the user's text, so bpfscope reads `%%` as C
// does (reference, bpftrace-0.17-behaviour.md: where 0.17 corrupts data we are correct).

export type LengthModifier = '' | 'hh' | 'h' | 'l' | 'll' | 'j' | 'z' | 't';
export type ConversionSpecifier = 's' | 'r' | 'rx' | 'rh' | 'c' | 'd' | 'u' | 'o' | 'x' | 'X' | 'p';
/** What kind of value a conversion takes. */
export type ConversionArgument = 'string' | 'buffer' | 'integer';

export interface FormatConversion {
  /** Offset of the `%` in the format. */
  start: number;
  /** Offset just past the conversion. */
  end: number;
  /** The conversion as written, e.g. `%-08.3lx`. */
  text: string;
  leftAlign: boolean;
  zeroPad: boolean;
  width: number | null;
  precision: number | null;
  length: LengthModifier;
  specifier: ConversionSpecifier;
  argument: ConversionArgument;
}

/** One piece of the format: literal text ending with at most one conversion. */
export interface FormatPiece {
  /** The piece's whole text (literal prefix plus the conversion, if any). */
  text: string;
  conversion: FormatConversion | null;
}

const CONVERSION = /^%(-?)([0-9]*)(?:\.([0-9]+))?(?:(rx|rh|r|s|c)|(hh|h|ll|l|j|z|t)?([duoxXp]))/;

/** Every conversion in the format, in order. */
export function scanFormat(format: string): FormatConversion[] {
  const conversions: FormatConversion[] = [];
  let i = format.indexOf('%');
  while (i >= 0) {
    if (format[i + 1] === '%') {
      i = format.indexOf('%', i + 2);
      continue;
    }
    const m = CONVERSION.exec(format.slice(i));
    if (!m) {
      i = format.indexOf('%', i + 1);
      continue;
    }
    const widthText = m[2];
    const specifier = (m[4] ?? m[6]) as ConversionSpecifier;
    conversions.push({
      start: i,
      end: i + m[0].length,
      text: m[0],
      leftAlign: m[1] === '-',
      zeroPad: widthText.startsWith('0'),
      width: widthText === '' ? null : Number(widthText),
      precision: m[3] === undefined ? null : Number(m[3]),
      length: (m[5] ?? '') as LengthModifier,
      specifier,
      argument: argumentOf(specifier),
    });
    i = format.indexOf('%', i + m[0].length);
  }
  return conversions;
}

/** The format cut after each conversion; the last piece has no conversion (may be ''). */
export function formatPieces(format: string): FormatPiece[] {
  const pieces: FormatPiece[] = [];
  let from = 0;
  for (const conversion of scanFormat(format)) {
    pieces.push({ text: format.slice(from, conversion.end), conversion });
    from = conversion.end;
  }
  pieces.push({ text: format.slice(from), conversion: null });
  return pieces;
}

function argumentOf(specifier: ConversionSpecifier): ConversionArgument {
  if (specifier === 's') return 'string';
  if (specifier === 'r' || specifier === 'rx' || specifier === 'rh') return 'buffer';
  return 'integer';
}
