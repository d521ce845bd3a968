#!/usr/bin/env node
// The `bpfscope` executable: loads the bundled CLI (bpfscope-main.cjs) through V8's code
// cache, kept beside the bundle, so that start-up does not recompile a megabyte of JavaScript
// on every run. V8 rejects a cache that does not match the bundle; it is then written anew.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const Module = require('node:module');

const file = path.join(__dirname, 'bpfscope-main.cjs');
const cacheFile = path.join(__dirname, 'bpfscope-main.v8cache');

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
