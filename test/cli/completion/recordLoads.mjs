// Preload (node --import): records the URL of every module the process loads, ES modules and
// CommonJS alike, into the file named by RECORD_LOADS, so a test can see what a command pulled in.
import { register } from 'node:module';
import Module from 'node:module';
import { appendFileSync } from 'node:fs';

const file = process.env.RECORD_LOADS;
register(
  'data:text/javascript,' +
    encodeURIComponent(`
import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  appendFileSync(${JSON.stringify(file)}, r.url + '\\n');
  return r;
}`),
);
const load = Module._load;
Module._load = function (request, ...rest) {
  appendFileSync(file, `cjs:${request}\n`);
  return load.call(this, request, ...rest);
};
