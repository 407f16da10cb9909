import { createRequire } from 'node:module';
import metaSchema from '@open-rpc/meta-schema';
import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HeraldClient } from '../client/index.js';
import { METHOD_NAMES, METHODS, type MethodName } from '../protocol/index.js';
import { startTestDaemon, tempDir, type TestDaemon } from './helpers/daemon.js';
import { BASE_DN, SERVICE_DN, SERVICE_PASSWORD, startSlapd, userEntry } from './helpers/slapd.js';

// rpc.discover is how a client written in any language learns the API: its document must list
// exactly the method table, be a valid OpenRPC document, and its examples must really work.

interface ContentDescriptor { name: string; required?: boolean; description?: string; schema: Record<string, unknown> }
interface Example { name: string; params: { name: string; value: unknown }[]; result: { name: string; value: unknown } }
interface MethodObject {
  name: string;
  params: ContentDescriptor[];
  result: ContentDescriptor;
  examples: Example[];
  paramStructure?: string;
  'x-cmdlet': string;
  'x-access': string;
}
interface Document { openrpc: string; info: { title: string; version: string }; methods: MethodObject[] }

let daemon: TestDaemon;
let client: HeraldClient;
let document: Document;
const temp = tempDir();

beforeAll(async () => {
  // With the test clock, so that Set-TestClock's example is accepted too.
  daemon = await startTestDaemon({ stateDir: temp.dir, extraArgs: ['--test-clock'] });
  client = await daemon.client();
  document = (await client.callUntyped('rpc.discover')) as Document;
});

afterAll(async () => {
  await client?.close();
  expect(await daemon.stop()).toBe(0);
  temp.cleanup();
});

const methodObject = (name: string) => document.methods.find((m) => m.name === name)!;

describe('the method list', () => {
  it('lists exactly the methods of the table, each once', () => {
    const names = document.methods.map((m) => m.name);
    expect(new Set(names).size).toBe(names.length);
    expect([...names].sort()).toEqual([...METHOD_NAMES].sort());
  });

  it('gives each method its cmdlet name from the table, and its access', () => {
    for (const name of METHOD_NAMES) {
      expect(methodObject(name)['x-cmdlet'], name).toBe(METHODS[name].cmdlet.name);
      expect(methodObject(name)['x-access'], name).toBe(METHODS[name].access);
    }
  });

  it('describes the params of each method by name, required ones first, required exactly when the schema demands them', () => {
    for (const name of METHOD_NAMES) {
      const method = methodObject(name);
      const shape = METHODS[name].params.shape as Record<string, { safeParse(value: unknown): { success: boolean } }>;
      expect(method.paramStructure, name).toBe('by-name');
      expect(method.params.map((p) => p.name).sort(), name).toEqual(Object.keys(shape).sort());
      for (const param of method.params) {
        // A param is required when leaving it out (undefined) does not validate.
        expect(param.required, `${name}.${param.name}`).toBe(!shape[param.name].safeParse(undefined).success);
      }
      const flags = method.params.map((p) => p.required === true);
      const firstOptional = flags.indexOf(false);
      if (firstOptional !== -1) expect(flags.slice(firstOptional), `${name}: a required param after an optional one`).not.toContain(true);
    }
    // Some method must have both kinds, or the ordering check above checks nothing.
    expect(document.methods.some((m) => m.params.some((p) => p.required) && m.params.some((p) => !p.required))).toBe(true);
  });
});

describe('the OpenRPC meta-schema', () => {
  it('validates the document', () => {
    const schema = (metaSchema as unknown as { default?: Record<string, unknown> }).default ?? (metaSchema as unknown as Record<string, unknown>);
    expect(schema.$id).toBe('https://meta.open-rpc.org/');
    // The meta-schema refers to JSON Schema draft-07 by json-schema.tools' address, which the
    // package does not ship: register Ajv's own draft-07 meta-schema under that address (with
    // the JSONSchemaObject definition the reference object points into).
    const require = createRequire(import.meta.url);
    const { $id: _id, $schema: _schema, ...draft07 } = require('ajv/dist/refs/json-schema-draft-07.json') as Record<string, unknown> & { properties: object; definitions: object };
    const jsonSchemaTools = { ...draft07, definitions: { ...draft07.definitions, JSONSchemaObject: { type: 'object', properties: draft07.properties } } };
    // Ajv 8 ships no formats; validateFormats: false only silences its "unknown format ignored" noise.
    const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
    ajv.addSchema({ ...jsonSchemaTools, $id: 'https://meta.json-schema.tools/' });
    ajv.addSchema(jsonSchemaTools, 'https://meta.json-schema.tools');
    const { $schema: _metaOfMeta, ...openrpcSchema } = schema;
    const validate = ajv.compile(openrpcSchema);

    const valid = validate(document);
    expect(valid, ajv.errorsText(validate.errors)).toBe(true);

    // The validator is not vacuous: a method without params, or with an unknown member, fails.
    const broken = structuredClone(document) as unknown as { methods: Record<string, unknown>[] };
    delete broken.methods[0].params;
    broken.methods[1].bogus = true;
    expect(validate(broken)).toBe(false);
  });

  it('validates every example against its own method\'s param and result schemas', () => {
    const ajv = new Ajv({ strict: false, allErrors: true });
    for (const method of document.methods) {
      expect(method.examples.length, method.name).toBeGreaterThan(0);
      for (const example of method.examples) {
        for (const { name, value } of example.params) {
          const descriptor = method.params.find((p) => p.name === name);
          expect(descriptor, `${method.name} example '${example.name}' uses unknown param ${name}`).toBeDefined();
          const validate = ajv.compile(descriptor!.schema);
          expect(validate(value), `${method.name}.${name}: ${ajv.errorsText(validate.errors)}`).toBe(true);
        }
        const validateResult = ajv.compile(method.result.schema);
        expect(validateResult(example.result.value), `${method.name} result: ${ajv.errorsText(validateResult.errors)}`).toBe(true);
      }
    }
  });
});

describe('the examples against the daemon', () => {
  const paramsOf = (example: Example) => Object.fromEntries(example.params.map((p) => [p.name, p.value]));
  const keysOf = (value: unknown) => (value && typeof value === 'object' ? Object.keys(value).sort() : value);

  async function until(condition: () => Promise<boolean>): Promise<void> {
    for (let i = 0; i < 300 && !(await condition()); i++) await new Promise((resolve) => setTimeout(resolve, 50));
  }

  /** The result's shape must be the example result's: same keys, element by element for lists. */
  function expectSameShape(method: string, actual: unknown, expected: unknown): void {
    if (Array.isArray(expected)) {
      expect(Array.isArray(actual), method).toBe(true);
      expect((actual as unknown[]).length, `${method}: the example shows a non-empty list`).toBeGreaterThan(0);
      for (const element of actual as unknown[]) expect(keysOf(element), method).toEqual(keysOf(expected[0]));
    } else if (expected !== null && typeof expected === 'object') {
      expect(keysOf(actual), method).toEqual(keysOf(expected));
    } else {
      expect(actual, method).toEqual(expected);
    }
  }

  it('accepts every example\'s params and answers with the example result\'s keys', async () => {
    // An order in which each example finds what it names: Corp is created by the create example
    // and gets its portal from the add example before the reads and the password-expiry portal;
    // Lab exists before it is cleared and removed; the rename of Corp comes last of the Corp examples.
    const order: MethodName[] = [
      'identityStore.create',
      'identityStorePortal.add',
      'daemon.getStatus',
      'schedule.get',
      'schedule.invoke',
      'testClock.set',
      'identityStore.get',
      'identityStorePortal.get',
      'smtpServer.set',
      'smtpServer.get',
      'notificationRecipients.set',
      'notificationRecipients.get',
      'passwordExpiryNotification.set',
      'passwordExpiryNotification.get',
      'membershipLifecycleNotification.set',
      'membershipLifecycleNotification.get',
      'managedByLifecycleNotification.set',
      'managedByLifecycleNotification.get',
      'notificationSettings.set',
      'notificationSettings.get',
      'notificationSettings.clear',
      'notificationSettings.export',
      // The import resets Corp's settings to the exported ones, which name no portal.
      'notificationSettings.import',
      'settingsHistory.get',
      // Corp's member-added subject is changed, then read back and rendered with it.
      'notificationTemplate.set',
      'notificationTemplate.get',
      'notificationTemplate.render',
      'smtpServer.test',
      // Mail 1 is queued, listed, sent again, cancelled, and then found in the history.
      'notification.send',
      'notificationQueue.get',
      'notificationQueue.send',
      'notificationQueue.remove',
      'notificationHistory.get',
      'smtpServer.clear',
      // Imported into its own container before Corp's own objects, with notifications cleared.
      'directoryObject.import',
      // Corp's directory, once its settings are cleared so that no change queues mail: alice and
      // jdoe, a contact, the group Sales owned by alice with both as members; then removed again.
      'user.create',
      'user.get',
      'user.set',
      'contact.create',
      'contact.get',
      'contact.set',
      'group.create',
      'group.get',
      'group.set',
      'groupMember.add',
      'groupMember.get',
      'groupMember.set',
      'smartGroup.create',
      'smartGroup.get',
      'smartGroup.set',
      'group.update',
      'groupOwner.add',
      'groupOwner.get',
      'groupOwner.remove',
      'userManager.add',
      'userManager.get',
      'userManager.remove',
      // Sales exists and jdoe was just added to it.
      'changeHistory.get',
      'notification.resolve',
      // jdoe signs this connection in with the password its create example gave, then out again.
      'session.connect',
      'session.get',
      'session.disconnect',
      'directoryObject.search',
      'groupMember.remove',
      'contact.remove',
      'group.remove',
      'user.remove',
      'identityStorePortal.remove',
      // Lab is backed by a private slapd: its connection is tested and its directory read.
      'identityStore.testConnection',
      'identityStore.sync',
      'identityStore.set',
      'identityStore.remove',
      // The token nightly-report is made, listed, and revoked.
      'apiToken.create',
      'apiToken.get',
      'apiToken.remove',
    ];
    // A new method must get a place here, or its examples would go unchecked.
    expect([...order].sort()).toEqual([...METHOD_NAMES].sort());
    const slapd = await startSlapd({ ldif: userEntry('alice') });
    try {
      await client.call('identityStore.create', {
        name: 'Lab', type: 'Ldap', server: '127.0.0.1', port: slapd.ldapsPort, encryption: 'Ldaps', caCertificate: slapd.certificates.caPem, baseDn: BASE_DN,
        serviceAccount: { userName: SERVICE_DN, password: SERVICE_PASSWORD },
      });
      await runExamples(order);
    } finally {
      await slapd.destroy();
    }
  });

  async function runExamples(order: MethodName[]): Promise<void> {
    let calls = 0;
    for (const name of order) {
      // A mail cancelled during an attempt reaches the history when the attempt ends.
      if (name === 'notificationHistory.get') await until(async () => (await client.call('notificationHistory.get', {})).length > 0);
      for (const example of methodObject(name).examples) {
        const result = await client.callUntyped(name, paramsOf(example)).catch((error) => {
          throw new Error(`${name} example '${example.name}' was refused: ${(error as Error).message}`);
        });
        expectSameShape(`${name} '${example.name}'`, result, example.result.value);
        calls++;
      }
    }
    expect(calls).toBeGreaterThanOrEqual(METHOD_NAMES.length);

    // The examples did what they say: Corp became Corporate, Lab is gone, the portal is unlinked.
    const stores = await client.call('identityStore.get');
    expect(stores.map((s) => s.name)).toEqual(['Corporate']);
    expect(await client.call('identityStorePortal.get', { identityStore: 'Corporate' })).toEqual([]);
  }
});
