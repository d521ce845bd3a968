// ntop() text: inet_ntop(3) for AF_INET and AF_INET6 (glibc's rules: the longest run of two
// or more zero groups becomes `::`, IPv4-mapped and IPv4-compatible addresses end dotted).

const AF_INET = 2n;
const AF_INET6 = 10n;

export function formatInet(family: bigint, address: Uint8Array): string {
  if (family === AF_INET) return [...address.slice(0, 4)].join('.');
  if (family === AF_INET6) return ipv6Text(address.slice(0, 16));
  return '';
}

function ipv6Text(bytes: Uint8Array): string {
  const words: number[] = [];
  for (let i = 0; i < 16; i += 2) words.push((bytes[i] << 8) | bytes[i + 1]);
  let best = { base: -1, len: 0 };
  let current = { base: -1, len: 0 };
  words.forEach((word, i) => {
    if (word === 0) {
      current =
        current.base === -1 ? { base: i, len: 1 } : { base: current.base, len: current.len + 1 };
      if (current.len > best.len) best = current;
    } else {
      current = { base: -1, len: 0 };
    }
  });
  if (best.len < 2) best = { base: -1, len: 0 };
  let text = '';
  for (let i = 0; i < 8; i++) {
    if (best.base !== -1 && i >= best.base && i < best.base + best.len) {
      if (i === best.base) text += ':';
      continue;
    }
    if (i !== 0) text += ':';
    if (i === 6 && best.base === 0 && (best.len === 6 || (best.len === 5 && words[5] === 0xffff))) {
      return text + [...bytes.slice(12, 16)].join('.');
    }
    text += words[i].toString(16);
  }
  if (best.base !== -1 && best.base + best.len === 8) text += ':';
  return text;
}
