// Printed values are byte strings (one char per byte); pictures are UTF-8 documents.

/** The text a byte string shows: its bytes read as UTF-8 (invalid sequences as U+FFFD). */
export function displayText(byteString: string): string {
  return Buffer.from(byteString, 'latin1').toString('utf8');
}

/** Escapes text for XML/HTML content and attribute values; characters XML 1.0 forbids
 *  (control characters other than tab and line breaks) become U+FFFD. */
export function escapeMarkup(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '\ufffd')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** 1234567 → "1,234,567". */
export function groupDigits(value: bigint): string {
  const text = (value < 0n ? -value : value).toString();
  return (value < 0n ? '-' : '') + text.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** `part` as a percentage of `whole` with two decimals ("0.00" when whole is 0). */
export function percent(part: bigint, whole: bigint): string {
  if (whole === 0n) return '0.00';
  const hundredths = (part * 10000n + whole / 2n) / whole;
  return `${hundredths / 100n}.${(hundredths % 100n).toString().padStart(2, '0')}`;
}
