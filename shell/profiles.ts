import { chmodSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { ShellError } from './errors.js';

/** A remote daemon to reach by name: where it is, the token, and the CA its certificate comes from. */
export interface DaemonProfile {
  url: string;
  token: string;
  /** Path of a PEM file with a private CA. */
  caCertificate?: string;
}

const PROFILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** `$HERALD_CONFIG_DIR`, else `$XDG_CONFIG_HOME/herald`, else `~/.config/herald`. */
export function configDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.HERALD_CONFIG_DIR) return env.HERALD_CONFIG_DIR;
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'herald');
}

function profilePath(name: string, env: NodeJS.ProcessEnv): string {
  if (!PROFILE_NAME.test(name)) throw new ShellError(`a profile name is letters, digits, '.', '_' and '-' (at most 64), not '${name}'`);
  return join(configDir(env), 'profiles', `${name}.json`);
}

/** Writes the profile readable by its owner alone: it holds a token. */
export function saveProfile(name: string, profile: DaemonProfile, env: NodeJS.ProcessEnv = process.env): string {
  if (!/^wss?:\/\//.test(profile.url)) throw new ShellError(`-Url must be a ws:// or wss:// address, not '${profile.url}'`);
  const path = profilePath(name, env);
  mkdirSync(join(configDir(env), 'profiles'), { recursive: true, mode: 0o700 });
  const stored = { ...profile, ...(profile.caCertificate ? { caCertificate: absolute(profile.caCertificate) } : {}) };
  writeFileSync(path, JSON.stringify(stored, null, 2) + '\n', { mode: 0o600 });
  // An existing file keeps its old mode through writeFileSync: make sure.
  chmodSync(path, 0o600);
  return path;
}

export function loadProfile(name: string, env: NodeJS.ProcessEnv = process.env): DaemonProfile {
  const path = profilePath(name, env);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new ShellError(`no daemon profile named '${name}' (${path})`, `save one with Save-DaemonProfile -Name ${name} -Url wss://host:port -Token <token>${knownProfiles(env)}`);
    throw new ShellError(`cannot read the profile ${path}: ${code}`);
  }
  const profile = JSON.parse(text) as Partial<DaemonProfile>;
  if (typeof profile.url !== 'string' || typeof profile.token !== 'string') throw new ShellError(`the profile ${path} lacks a url or a token`, `save it again with Save-DaemonProfile -Name ${name}`);
  return profile as DaemonProfile;
}

export function listProfiles(env: NodeJS.ProcessEnv = process.env): string[] {
  try {
    return readdirSync(join(configDir(env), 'profiles')).filter((file) => file.endsWith('.json')).map((file) => file.slice(0, -5)).sort();
  } catch {
    return [];
  }
}

function knownProfiles(env: NodeJS.ProcessEnv): string {
  const names = listProfiles(env);
  return names.length ? `; saved profiles: ${names.join(', ')}` : '';
}

function absolute(path: string): string {
  return isAbsolute(path) ? path : resolve(path);
}

/** The PEM text of a CA file given to -CaCertificate. */
export function readCaCertificate(path: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ShellError(`cannot read the CA certificate ${path}: ${(error as NodeJS.ErrnoException).code}`);
  }
  if (!text.includes('-----BEGIN CERTIFICATE-----')) throw new ShellError(`${path} is not a PEM certificate (-CaCertificate)`, 'give the CA\'s certificate in PEM form (-----BEGIN CERTIFICATE-----)');
  return text;
}
