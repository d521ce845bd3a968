#!/usr/bin/env node
// The `bpfscope` executable: loads the bundled CLI (dist/bpfscope-main.cjs) through V8's code
// cache, kept beside the bundle, so that start-up does not recompile a megabyte of JavaScript
// on every run. V8 rejects a cache that does not match the bundle; it is then written anew.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const Module = require('node:module');

const root = path.join(__dirname, '..', '..');
const dist = path.join(root, 'dist');
const file = path.join(dist, 'bpfscope-main.cjs');
const cacheFile = path.join(dist, 'bpfscope-main.v8cache');

// A source checkout builds the bundle on first use (`npm install && npx bpfscope ...`); the
// published package ships it built (npm pack runs the build), so nothing runs at install.
if (!fs.existsSync(file)) {
  const build = path.join(root, 'scripts', 'build.mjs');
  if (!fs.existsSync(build)) {
    process.stderr.write(`bpfscope: ${file} is missing; reinstall the package\n`);
    process.exit(2);
  }
  const built = require('node:child_process').spawnSync(process.execPath, [build], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (built.status !== 0) process.exit(2);
}

let cachedData;
try {
  cachedData = fs.readFileSync(cacheFile);
} catch {
  // first run: no cache yet
}
const script = new vm.Script(Module.wrap(fs.readFileSync(file, 'utf8')), {
  filename: file,
  cachedData,
});
if (cachedData === undefined || script.cachedDataRejected) {
  // Written at exit, so that the functions compiled during the run are in it too.
  process.once('exit', () => {
    const temporary = `${cacheFile}.${process.pid}`;
    try {
      fs.writeFileSync(temporary, script.createCachedData());
      fs.renameSync(temporary, cacheFile);
    } catch {
      try {
        fs.unlinkSync(temporary);
      } catch {
        // a read-only install runs without the cache
      }
    }
  });
}
const main = new Module(file, module);
main.filename = file;
main.paths = Module._nodeModulePaths(__dirname);
script
  .runInThisContext()
  .call(main.exports, main.exports, Module.createRequire(file), main, file, __dirname);
