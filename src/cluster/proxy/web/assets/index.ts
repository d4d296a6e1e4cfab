/**
 * The web UI's static files, all served by the proxy itself (no CDN, no
 * third-party asset). Each is addressed by a hash of its content, so a
 * browser may keep it for good and a new version is a new URL.
 */
import { createHash } from 'node:crypto';
import { stylesCss } from './styles.js';
import { appJs, inviteJs } from './scripts.js';

interface Asset {
  path: string;
  type: string;
  body: Buffer;
}

const sources = {
  'app.css': { type: 'text/css; charset=utf-8', text: stylesCss },
  'app.js': { type: 'text/javascript; charset=utf-8', text: appJs },
  'invite.js': { type: 'text/javascript; charset=utf-8', text: inviteJs },
} as const;

/** Where assets are served from. */
export const ASSET_PREFIX = '/web/assets/';

const byName = new Map<string, Asset>();
const byPath = new Map<string, Asset>();
for (const [name, { type, text }] of Object.entries(sources)) {
  const body = Buffer.from(text);
  const asset = { path: `${ASSET_PREFIX}${createHash('sha256').update(body).digest('hex').slice(0, 12)}/${name}`, type, body };
  byName.set(name, asset);
  byPath.set(asset.path, asset);
}

/** The URL path of an asset, for a page to link. */
export function assetPath(name: keyof typeof sources): string {
  return byName.get(name)!.path;
}

/** The asset at a request path, if any. */
export function assetAt(path: string): Asset | undefined {
  return byPath.get(path);
}
