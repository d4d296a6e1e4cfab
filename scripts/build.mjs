// Bundles the three programs into dist/ with esbuild.
//
// ESM with code splitting: each command module is a dynamic import() in the
// command table, so it becomes its own chunk and `tsh version` loads none of
// them. Packages with native parts or a large footprint of their own stay
// external and are loaded from node_modules only by the commands that need them.
import { build } from 'esbuild';
import { rm } from 'node:fs/promises';

const external = [
  'better-sqlite3', 'pg', 'pg-native', '@napi-rs/keyring', 'dynalite',
  '@aws-sdk/*', '@smithy/*', '@aws-crypto/*', 'playwright-core', 'prom-client',
];

await rm(new URL('../dist', import.meta.url), { recursive: true, force: true });
await build({
  entryPoints: {
    tsh: 'src/cli/tsh/main.ts',
    tctl: 'src/cli/tctl/main.ts',
    teleport: 'src/cli/teleport/main.ts',
    demo: 'src/demo/main.ts',
  },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  external,
  chunkNames: 'chunks/[name]-[hash]',
  // Bundled CommonJS dependencies (commander, node-forge) call require() for
  // Node built-ins; give the ESM output a real require for them.
  banner: { js: "import { createRequire as __tshCreateRequire } from 'node:module'; const require = __tshCreateRequire(import.meta.url);" },
  logLevel: 'warning',
});

// `tsh version` and `tsh status`: one small CommonJS file bin/tsh tries first
// (CommonJS loads faster than an ES module graph; see src/cli/tsh/fast.ts).
await build({
  entryPoints: { 'tsh-fast': 'src/cli/tsh/fast.ts' },
  minify: true,
  outdir: 'dist',
  outExtension: { '.js': '.cjs' },
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  external,
  logLevel: 'warning',
});
