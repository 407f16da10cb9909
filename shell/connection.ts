import { homedir } from 'node:os';
import { connect, type HeraldClient } from '../client/index.js';
import { HeraldError, PROTOCOL_VERSION, resolveStateDir } from '../protocol/index.js';
import { launchDaemon } from './daemon-launcher.js';
import { loadProfile, readCaCertificate } from './profiles.js';

export interface DaemonTarget {
  url?: string;
  token?: string;
  /** A saved profile (Save-DaemonProfile): its url, token and CA, unless given here too. */
  profile?: string;
  /** Path of a PEM file with the private CA that signed the daemon's certificate. */
  caCertificate?: string;
  stateDir?: string;
  /** Start a local daemon when none answers (the default for the local daemon). */
  autoStart: boolean;
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Opens the connection the shell works through. For the local daemon, a missing one is
 * started in the background, with one line to say so.
 */
export async function openConnection(target: DaemonTarget, inform: (line: string) => void, warn: (line: string) => void): Promise<HeraldClient> {
  const stateDir = resolveStateDir(process.env, homedir(), target.stateDir);
  const profile = target.profile ? loadProfile(target.profile) : undefined;
  const caCertificate = target.caCertificate ?? profile?.caCertificate;
  const options = {
    url: target.url ?? profile?.url,
    token: target.token ?? profile?.token,
    ca: caCertificate ? readCaCertificate(caCertificate) : undefined,
    stateDir,
  };
  let client: HeraldClient;
  try {
    client = await connect(options);
  } catch (error) {
    if (!(error instanceof HeraldError) || error.errorName !== 'DaemonUnreachable' || options.url || !target.autoStart) throw error;
    const pid = launchDaemon(stateDir);
    client = await waitForDaemon(options, pid, stateDir);
    inform(`herald: started a daemon (pid ${pid}) for ${stateDir}; it keeps running after the shell exits (stop it with: kill ${pid})`);
  }
  await checkProtocol(client, warn);
  return client;
}

async function waitForDaemon(options: Parameters<typeof connect>[0], pid: number, stateDir: string): Promise<HeraldClient> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 100; attempt++) {
    await delay(100);
    try {
      return await connect(options);
    } catch (error) {
      lastError = error;
    }
  }
  throw new HeraldError('DaemonUnreachable', `started a daemon (pid ${pid}) but it did not answer within 10 s: ${(lastError as Error)?.message}`, {
    remedy: `see ${stateDir}/heraldd.stderr and ${stateDir}/herald.log`,
  });
}

async function checkProtocol(client: HeraldClient, warn: (line: string) => void): Promise<void> {
  const status = await client.call('daemon.getStatus');
  const major = (version: string) => version.split('.')[0];
  if (major(status.protocolVersion) !== major(PROTOCOL_VERSION)) {
    await client.close();
    throw new HeraldError('ProtocolMismatch', `the daemon at ${client.url} speaks protocol ${status.protocolVersion} and this shell ${PROTOCOL_VERSION}`, {
      remedy: `use a shell of the daemon's version (${status.version})`,
    });
  }
  if (status.protocolVersion !== PROTOCOL_VERSION) {
    warn(`WARNING: the daemon speaks protocol ${status.protocolVersion} and this shell ${PROTOCOL_VERSION}: some commands may fail; use a shell of the daemon's version (${status.version})`);
  }
}
