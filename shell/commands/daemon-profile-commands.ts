import { openConnection } from '../connection.js';
import { ShellError } from '../errors.js';
import { listProfiles, loadProfile, saveProfile } from '../profiles.js';
import { builtin } from './builtin.js';
import type { Command } from './command.js';

/** Remote daemons by name: the token kept in a file only its owner can read, never in scripts. */
export function daemonProfileCommands(): Command[] {
  return [
    builtin({
      name: 'Save-DaemonProfile',
      summary: 'Saves a remote daemon\'s address, token and CA under a name, in a file only you can read (mode 0600).',
      description: 'Use it with `herald -Profile <name>`, HERALD_PROFILE, or `Connect-Daemon -Profile <name>`. The token is asked for, hidden, when -Token is left out.',
      parameters: [
        { name: 'Name', position: 0, required: true },
        { name: 'Url', position: 1, required: true },
        { name: 'Token', secret: true },
        { name: 'CaCertificate' },
      ],
      examples: [
        { command: 'Save-DaemonProfile -Name prod -Url wss://herald.corp.example:7443 -CaCertificate ./corp-ca.pem', description: 'Asks for the token (hidden) and saves the profile; then `herald -Profile prod`.' },
      ],
      async invoke({ bound, session }) {
        const name = String(bound.Name);
        const token = (bound.Token as string | undefined) ?? (await session.prompter.readSecret(`Token for ${bound.Url}: `));
        if (!token) throw new ShellError('Save-DaemonProfile: a token is required');
        const path = saveProfile(name, { url: String(bound.Url), token, caCertificate: bound.CaCertificate as string | undefined });
        session.inform(`saved profile '${name}' to ${path} (mode 0600)`);
        return [];
      },
    }),
    builtin({
      name: 'Get-DaemonProfile',
      summary: 'Lists the saved daemon profiles: name, address and CA, never the token.',
      parameters: [{ name: 'Name', position: 0 }],
      examples: [{ command: 'Get-DaemonProfile', description: 'Every saved profile.' }],
      invoke({ bound }) {
        const names = bound.Name === undefined ? listProfiles() : [String(bound.Name)];
        return names.map((name) => {
          const { url, caCertificate } = loadProfile(name);
          return { Name: name, Url: url, CaCertificate: caCertificate ?? null };
        });
      },
    }),
    builtin({
      name: 'Connect-Daemon',
      summary: 'Switches the session to another herald daemon.',
      parameters: [{ name: 'Url', position: 0 }, { name: 'Token', secret: true }, { name: 'Profile' }, { name: 'CaCertificate' }, { name: 'StateDir' }],
      examples: [
        { command: 'Connect-Daemon -Url wss://herald.corp.example:7443 -Token $env:HERALD_TOKEN -CaCertificate ./corp-ca.pem', description: 'Talks to a remote daemon over TLS, trusting a private CA.' },
        { command: 'Connect-Daemon -Profile prod', description: 'Talks to the daemon saved as prod with Save-DaemonProfile.' },
        { command: 'Connect-Daemon -StateDir /srv/herald', description: 'Talks to the local daemon of another state directory.' },
      ],
      async invoke({ bound, session }) {
        const url = bound.Url as string | undefined;
        let token = bound.Token as string | undefined;
        if (url && !token) token = process.env.HERALD_TOKEN || (await session.prompter.readSecret('Token: '));
        const target = {
          url, token, profile: bound.Profile as string | undefined, caCertificate: bound.CaCertificate as string | undefined,
          stateDir: bound.StateDir as string | undefined, autoStart: !url && !bound.Profile,
        };
        const client = await openConnection(target, session.inform, session.warn);
        await session.setClient(client);
        return [await client.call('daemon.getStatus')];
      },
    }),
  ];
}
