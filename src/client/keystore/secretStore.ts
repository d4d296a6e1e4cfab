/**
 * Where tsh keeps private keys and certificates.
 *
 * The OS keychain (Secret Service on Linux, Keychain on macOS, Credential
 * Manager on Windows) through @napi-rs/keyring when one is usable; otherwise
 * 0600 files under TELEPORT_HOME, and `tsh status` says which is in use.
 * Accounts are relative paths in Teleport's key layout (for example
 * `keys/proxy.example.com/alice`), so the file fallback lands exactly where a
 * Teleport user would look.
 */
export interface SecretStore {
  /** 'keychain' or 'file'. */
  readonly kind: 'keychain' | 'file';
  /** Human-readable name for `tsh status`, e.g. "OS keychain (Secret Service)". */
  readonly description: string;
  get(account: string): Promise<string | undefined>;
  set(account: string, secret: string): Promise<void>;
  /** True when something was removed. */
  delete(account: string): Promise<boolean>;
}

/** What the OS keychain is called on this platform, in messages and `tsh status`. */
export function keychainName(platform: NodeJS.Platform = process.platform): string {
  return ({ linux: 'Secret Service', darwin: 'macOS Keychain', win32: 'Windows Credential Manager' } as Partial<Record<NodeJS.Platform, string>>)[platform] ?? platform;
}
