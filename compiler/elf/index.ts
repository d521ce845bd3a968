// The object-file stage: a Program to and from an ELF relocatable for eBPF (with BTF), as
// `--emit-elf` writes and `bpfscope FILE.o` runs.

export { writeObject } from './writer';
export { readObject } from './reader';
export { ObjectFileError } from './errors';
