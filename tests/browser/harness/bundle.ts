import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { build, type Plugin } from 'esbuild';

const HERE = import.meta.dirname;
export const REPO_ROOT = resolve(HERE, '../../..');
const RUNTIME_SHIM = resolve(HERE, 'grafanaRuntime.ts');
const require = createRequire(import.meta.url);

/**
 * Every `@grafana/runtime` import goes to the shim, except the shim's own, which gets the real package. Grafana
 * packages resolve to their CommonJS builds: their ESM builds re-export type-only names that esbuild rejects
 * (Grafana never bundles them; it provides them to plugins at runtime).
 */
const grafanaPackages: Plugin = {
  name: 'grafana-packages',
  setup(b) {
    b.onResolve({ filter: /^@grafana\/(data|ui|runtime|schema|e2e-selectors)$/ }, (args) => {
      if (args.path === '@grafana/runtime' && args.importer !== RUNTIME_SHIM) {
        return { path: RUNTIME_SHIM };
      }
      return { path: require.resolve(args.path, { paths: [REPO_ROOT] }) };
    });
  },
};

export interface HarnessBundle {
  /** Output files by URL path, e.g. `/main.js`, `/main.css`. */
  files: Map<string, { contents: Uint8Array; type: string }>;
}

/** Bundles tests/browser/harness/main.tsx with the plugins' real sources and Grafana packages, in memory. */
export async function bundleHarness(): Promise<HarnessBundle> {
  const result = await build({
    absWorkingDir: REPO_ROOT,
    entryPoints: [resolve(HERE, 'main.tsx')],
    outdir: resolve(HERE, 'out'),
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    jsx: 'transform',
    minify: false,
    sourcemap: false,
    logLevel: 'silent',
    // One rxjs for the plugins, the Grafana packages and the shim (npm left several copies).
    alias: { rxjs: './plugins/datasource/node_modules/rxjs' },
    define: { 'process.env.NODE_ENV': '"development"', global: 'globalThis' },
    loader: { '.svg': 'dataurl', '.png': 'dataurl', '.woff': 'dataurl', '.woff2': 'dataurl', '.ttf': 'dataurl' },
    plugins: [grafanaPackages],
  });
  const files = new Map<string, { contents: Uint8Array; type: string }>();
  for (const f of result.outputFiles) {
    const name = f.path.slice(f.path.lastIndexOf('/'));
    files.set(name, { contents: f.contents, type: name.endsWith('.css') ? 'text/css' : 'text/javascript' });
  }
  return { files };
}
