// The one error readObject throws: a bad object file, described in one line.

export class ObjectFileError extends Error {
  constructor(fileName: string, message: string) {
    super(`${fileName}: ${message.replace(/\s*\n\s*/g, ' ')}`);
    this.name = 'ObjectFileError';
  }
}
