#!/usr/bin/env node
// Regenerates probes/catalog/x86_64_abi.json (syscall numbers and errno names) from the
// kernel UAPI headers installed on this machine.
import { readFileSync, writeFileSync } from 'node:fs';

const include = process.argv[2] ?? '/usr/include';
const out =
  process.argv[3] ?? new URL('../probes/catalog/x86_64_abi.json', import.meta.url).pathname;

const syscalls = {};
for (const m of readFileSync(`${include}/x86_64-linux-gnu/asm/unistd_64.h`, 'utf8').matchAll(
  /#define\s+__NR_(\w+)\s+(\d+)/g,
)) {
  syscalls[m[1]] = Number(m[2]);
}
const errnos = {};
for (const file of ['asm-generic/errno-base.h', 'asm-generic/errno.h']) {
  for (const m of readFileSync(`${include}/${file}`, 'utf8').matchAll(
    /#define\s+(E[A-Z0-9]+)\s+(\d+|E[A-Z0-9]+)/g,
  )) {
    errnos[m[1]] = /^\d+$/.test(m[2]) ? Number(m[2]) : errnos[m[2]];
  }
}
writeFileSync(out, JSON.stringify({ syscalls, errnos }, null, 0) + '\n');
console.log(
  `wrote ${out}: ${Object.keys(syscalls).length} syscalls, ${Object.keys(errnos).length} errnos`,
);
