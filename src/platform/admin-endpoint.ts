import { randomBytes, createHash, timingSafeEqual } from 'node:crypto';
import { open, readFile, rename, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';

/**
 * How the operator CLI finds a service that holds the embedded database: the service names itself in
 * DATA_DIR's lock file (its pid) and, once it listens, writes where its loopback admin endpoint is and
 * the key it takes into a file only its owner can read. The CLI reads both and calls it; with no live
 * holder it opens the database itself.
 */
export const DATA_DIR_LOCK_FILE = 'wholesale-desk.lock';
export const ADMIN_ENDPOINT_FILE = 'admin-endpoint.json';
/** The endpoint's one route: POST a command, get its output and exit code. */
export const ADMIN_COMMAND_PATH = '/admin/cli';
/** DATA_DIR when unset (config.ts's default; the CLI reads it without loading the configuration). */
export const DEFAULT_DATA_DIR = './data';

/**
 * Where the embedded database lives by this environment, read as config.ts reads it (blank is unset),
 * or undefined on PostgreSQL (DATABASE_URL) or in memory: then no service holds a directory.
 */
export function embeddedDataDirOf(env: NodeJS.ProcessEnv): string | undefined {
  if (env.DATABASE_URL?.trim()) return undefined;
  const dir = env.DATA_DIR?.trim() || DEFAULT_DATA_DIR;
  return dir.startsWith('memory://') ? undefined : dir;
}

export interface AdminEndpoint {
  pid: number;
  port: number;
  key: string;
}

/** A fresh key: 32 random bytes, base64url. */
export const newAdminKey = (): string => randomBytes(32).toString('base64url');

/** Constant-time comparison of a presented key with the service's (hashed first, so lengths never leak). */
export function adminKeyMatches(presented: string, key: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(presented), digest(key));
}

/** Writes the endpoint file with mode 0600 (a new file renamed over the old one, so it is never half-written or wider). */
export async function writeAdminEndpoint(dataDir: string, endpoint: AdminEndpoint): Promise<{ remove(): Promise<void> }> {
  const path = join(resolve(dataDir), ADMIN_ENDPOINT_FILE);
  const temp = `${path}.${endpoint.pid}.tmp`;
  await rm(temp, { force: true });
  const handle = await open(temp, 'wx', 0o600);
  try {
    await handle.writeFile(JSON.stringify(endpoint));
  } finally {
    await handle.close();
  }
  await rename(temp, path);
  return {
    // Only this process's own file: a newer service may have replaced it.
    remove: async () => {
      if ((await readAdminEndpoint(dataDir))?.pid === endpoint.pid) await rm(path, { force: true });
    },
  };
}

/** The endpoint file's content, or undefined when there is none or it is not one. */
export async function readAdminEndpoint(dataDir: string): Promise<AdminEndpoint | undefined> {
  const text = await readFile(join(resolve(dataDir), ADMIN_ENDPOINT_FILE), 'utf8').catch(() => undefined);
  if (!text) return undefined;
  try {
    const parsed = JSON.parse(text) as Partial<AdminEndpoint>;
    if (Number.isInteger(parsed.pid) && Number.isInteger(parsed.port) && typeof parsed.key === 'string' && parsed.key.length >= 32)
      return { pid: parsed.pid!, port: parsed.port!, key: parsed.key };
  } catch {
    // a file being replaced, or not ours
  }
  return undefined;
}

/** The live process that holds DATA_DIR's lock (not this one), or undefined. */
export async function lockHolderOf(dataDir: string): Promise<number | undefined> {
  const pid = Number((await readFile(join(resolve(dataDir), DATA_DIR_LOCK_FILE), 'utf8').catch(() => '')).trim());
  return pid && pid !== process.pid && isProcessAlive(pid) ? pid : undefined;
}

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** True for an address on this machine's loopback (IPv4 127/8, ::1, and IPv4 loopback mapped into IPv6). */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  return v4 === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}
