import type { z } from 'zod';
import { mailAddress } from '../../protocol/addresses.js';
import { directoryName, displayName as displayNameField } from '../../protocol/directory/views.js';
import { HeraldError, type ImportReport } from '../../protocol/index.js';
import type { Handler, Services } from '../context.js';
import { dnKey } from '../directory/builtin-directory.js';
import { detectFormat, lineError, parseImport, type ImportRecord, type ImportRef } from '../directory/import-parse.js';
import type { DirectoryObject, ObjectKind } from '../directory/provider.js';
import type { ChangeEvent } from '../notifier/change-event.js';
import { foldName } from '../sql.js';
import { openScope, perpetual } from './directory-support.js';
import { actorOf } from './session.js';

/** A HeraldError from the directory (a mail address taken, …) with the line of the record that caused it. */
function atLine<T>(line: number, action: () => T): T {
  try {
    return action();
  } catch (error) {
    if (error instanceof HeraldError && !/^line \d+: /.test(error.message)) {
      throw new HeraldError(error.errorName, `line ${line}: ${error.message}`, { ...error.data, field: 'content' });
    }
    throw error;
  }
}

/** A field checked by the same schema as New-User's parameter, so an import cannot store what the cmdlets refuse. */
function checked(line: number, schema: z.ZodString, value: string): string {
  const result = schema.safeParse(value);
  if (!result.success) throw lineError(line, result.error.issues[0]?.message ?? `'${value}' is not valid`);
  return result.data;
}

const WORD: Record<ObjectKind, string> = { User: 'user', Group: 'group', Contact: 'contact' };

export function directoryImportHandlers(services: Services) {
  const { db } = services;

  const importObjects: Handler<'directoryObject.import'> = ({ content, identityStore, format, skipExisting }, caller) =>
    db.transaction((): ImportReport => {
      const scope = openScope(services, identityStore, caller);
      const { dir, store, now } = scope;
      const used = format ?? detectFormat(content);
      const records = parseImport(content, used);
      // Imports record their events under the caller's name but as source 'import', which the
      // recorder keeps from notifying: loading a directory must not mail everyone in it.
      const actor = actorOf(services, caller, store.id);
      const record = (kind: ChangeEvent['kind'], object: DirectoryObject, related?: DirectoryObject) =>
        services.changes.record({ storeId: store.id, storeName: store.name, kind, object, related, actor, source: 'import' });

      const report: ImportReport = { identityStore: store.name, format: used, users: 0, groups: 0, contacts: 0, links: 0, skipped: 0 };
      // The file's own objects, by the DN and the name it gives them: references find these first,
      // since an LDIF DN such as uid=x,ou=people differs from the DN the builtin directory gives.
      const byDn = new Map<string, DirectoryObject>();
      const byName = new Map<string, { object: DirectoryObject; line: number }>();
      const created: { record: ImportRecord; object: DirectoryObject }[] = [];

      // Pass 1: every object, without links, so that links may point forward in the file.
      for (const entry of records) {
        const name = checked(entry.line, directoryName('name'), entry.name);
        const earlier = byName.get(foldName(name));
        if (earlier) throw lineError(entry.line, `'${name}' is already defined on line ${earlier.line}`);
        const existing = dir.find(name);
        if (existing && foldName(existing.name) === foldName(name)) {
          if (!skipExisting) {
            throw new HeraldError('Conflict', `line ${entry.line}: identity store '${store.name}' already has a ${WORD[existing.kind]} named '${existing.name}'`, {
              field: 'content', remedy: 'add -SkipExisting to leave existing objects as they are',
            });
          }
          report.skipped++;
          byName.set(foldName(name), { object: existing, line: entry.line });
          if (entry.dn) registerDn(byDn, entry.dn, existing);
          continue;
        }
        const object = atLine(entry.line, () => dir.create({
          kind: entry.kind, name, container: entry.container,
          displayName: entry.displayName === undefined ? undefined : checked(entry.line, displayNameField, entry.displayName),
          mail: entry.mail === undefined ? undefined : checked(entry.line, mailAddress('mail'), entry.mail),
          enabled: entry.enabled,
        }, now));
        record('ObjectCreated', object);
        byName.set(foldName(name), { object, line: entry.line });
        if (entry.dn) registerDn(byDn, entry.dn, object);
        created.push({ record: entry, object });
        report[entry.kind === 'User' ? 'users' : entry.kind === 'Group' ? 'groups' : 'contacts']++;
      }

      const resolve = (ref: ImportRef, what: string, kinds?: ObjectKind[]): DirectoryObject => {
        const key = ref.value.includes('=') ? dnKey(ref.value) : undefined;
        const found = (key !== undefined ? byDn.get(key) : undefined) ?? byName.get(foldName(ref.value))?.object ?? dir.find(ref.value);
        if (!found) throw new HeraldError('NotFound', `line ${ref.line}: ${what} '${ref.value}' not found in the file or in identity store '${store.name}'`, { field: 'content' });
        if (kinds && !kinds.includes(found.kind)) throw lineError(ref.line, `${what} '${ref.value}' is a ${WORD[found.kind]}, not a ${kinds.map((k) => WORD[k]).join(' or ')}`);
        return found;
      };

      // Pass 2: managers, owners and members, now that every object of the file exists.
      for (const { record: entry, object } of created) {
        if (entry.manager) {
          const what = entry.kind === 'Group' ? 'managedBy' : 'manager';
          const manager = resolve(entry.manager, what, entry.kind === 'User' ? ['User'] : undefined);
          if (manager.id === object.id) throw lineError(entry.manager.line, `'${object.name}' cannot be its own ${entry.kind === 'Group' ? 'owner' : 'manager'}`);
          // Part of the object's creation (ObjectCreated is recorded), not a change to tell anyone about.
          dir.update(object.id, { managerId: manager.id }, now);
          report.links++;
        }
        // Each listed object once per kind of link; a group listing itself is refused at its line.
        const link = (refs: typeof entry.members, what: 'owner' | 'member', kind: 'AdditionalOwner' | 'Member', event: 'OwnerAdded' | 'MemberAdded') => {
          const seen = new Set<number>();
          for (const ref of refs) {
            const child = resolve(ref, what);
            if (child.id === object.id) throw lineError(ref.line, `group '${object.name}' cannot be ${what === 'owner' ? 'an owner' : 'a member'} of itself`);
            if (seen.has(child.id)) continue;
            seen.add(child.id);
            dir.addLink(perpetual(kind, object.id, child.id));
            record(event, object, child);
            report.links++;
          }
        };
        link(entry.additionalOwners, 'owner', 'AdditionalOwner', 'OwnerAdded');
        link(entry.members, 'member', 'Member', 'MemberAdded');
      }
      return report;
    })();

  return { 'directoryObject.import': importObjects };
}

function registerDn(byDn: Map<string, DirectoryObject>, dn: string, object: DirectoryObject): void {
  const key = dnKey(dn);
  if (key !== undefined) byDn.set(key, object);
}
