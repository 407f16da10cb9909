import { PSCredential, SecureString } from '../credential.js';
import { ShellError } from '../errors.js';
import type { Command } from './command.js';
import { builtin } from './builtin.js';

const CREDENTIAL_TYPES = new Set(['system.management.automation.pscredential', 'pscredential']);

export function sessionCommands(): Command[] {
  return [
    builtin({
      name: 'Get-Credential',
      summary: 'Asks for a user name and a password (typed hidden) and returns a credential.',
      parameters: [{ name: 'UserName', position: 0, aliases: ['User'] }, { name: 'Message' }],
      examples: [
        { command: '$cred = Get-Credential -UserName smtp-relay@corp.example', description: 'Asks for the password of smtp-relay and keeps the credential in $cred.' },
      ],
      async invoke({ bound, session }) {
        if (bound.Message) session.inform(String(bound.Message));
        const userName = (bound.UserName as string | undefined) ?? (await session.prompter.readLine('User: '));
        if (!userName) throw new ShellError('Get-Credential: a user name is required');
        const password = await session.prompter.readSecret(`Password for user ${userName}: `);
        return [new PSCredential(userName, new SecureString(password))];
      },
    }),
    builtin({
      name: 'Read-Host',
      summary: 'Asks the person at the terminal for a line; -AsSecureString hides what is typed.',
      parameters: [{ name: 'Prompt', position: 0 }, { name: 'AsSecureString', type: 'boolean', isSwitch: true }],
      examples: [{ command: "Set-SmtpServer Corp -ClientSecret (Read-Host 'Client secret' -AsSecureString)", description: 'A secret typed hidden, straight into a parameter.' }],
      async invoke({ bound, session }) {
        const prompt = `${(bound.Prompt as string | undefined) ?? ''}: `;
        if (bound.AsSecureString === true) return [new SecureString(await session.prompter.readSecret(prompt))];
        return [await session.prompter.readLine(prompt)];
      },
    }),
    builtin({
      name: 'ConvertTo-SecureString',
      summary: 'Turns plain text into a secure string (for scripts that carry a password).',
      parameters: [
        { name: 'String', position: 0, required: true },
        { name: 'AsPlainText', type: 'boolean', isSwitch: true },
        { name: 'Force', type: 'boolean', isSwitch: true },
      ],
      examples: [{ command: '$pw = ConvertTo-SecureString "s3cret" -AsPlainText -Force', description: 'A secure string from a literal, as reference scripts build credentials.' }],
      invoke: ({ bound }) => {
        if (bound.AsPlainText !== true) throw new ShellError('ConvertTo-SecureString: only -AsPlainText is supported', 'add -AsPlainText -Force');
        return [new SecureString(String(bound.String))];
      },
    }),
    builtin({
      name: 'New-Object',
      summary: 'Creates a PSCredential from a user name and a secure string.',
      parameters: [{ name: 'TypeName', position: 0, required: true }, { name: 'ArgumentList', type: 'any', position: 1, aliases: ['Args'] }],
      examples: [{
        command: '$cred = New-Object System.Management.Automation.PSCredential "relay", (ConvertTo-SecureString "s3cret" -AsPlainText -Force)',
        description: 'A credential built without a prompt, as reference scripts do.',
      }],
      invoke: ({ bound }) => {
        const type = String(bound.TypeName);
        if (!CREDENTIAL_TYPES.has(type.toLowerCase())) throw new ShellError(`New-Object: cannot create '${type}'; only System.Management.Automation.PSCredential is available`);
        const args = Array.isArray(bound.ArgumentList) ? bound.ArgumentList : [];
        const [userName, password] = args;
        if (typeof userName !== 'string' || (typeof password !== 'string' && !(password instanceof SecureString))) {
          throw new ShellError('New-Object PSCredential: give a user name and a password: "user", (ConvertTo-SecureString "pw" -AsPlainText -Force)');
        }
        return [new PSCredential(userName, password instanceof SecureString ? password : new SecureString(password))];
      },
    }),
  ];
}
