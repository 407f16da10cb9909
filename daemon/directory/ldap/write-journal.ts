import { Attribute, Change, NoSuchAttributeError, TypeOrValueExistsError, type Client } from 'ldapts';

/** One change to one attribute of one directory entry. */
export interface Modification {
  storeId: number;
  dn: string;
  operation: 'add' | 'delete' | 'replace';
  attribute: string;
  values: string[];
}

/**
 * Collects the directory changes a call makes while it runs against herald's copy, so that they
 * can be sent to the server before herald commits (see write-through.ts). Outside such a call a
 * change to a directory-backed store is a bug: it would change herald's copy and not the server.
 */
export class WriteJournal {
  private pending: Modification[] | undefined;
  private replaying = false;

  begin(): void {
    this.pending = [];
    this.replaying = false;
  }

  /** The second, committing run: the server has the changes already. */
  replay(): void {
    this.replaying = true;
  }

  end(): Modification[] {
    const taken = this.pending ?? [];
    this.pending = undefined;
    this.replaying = false;
    return taken;
  }

  get recorded(): number {
    return this.pending?.length ?? 0;
  }

  push(modification: Modification): void {
    if (this.replaying) return;
    if (!this.pending) throw new Error(`a change to directory entry ${modification.dn} was made outside a write-through call`);
    this.pending.push(modification);
  }
}

/**
 * Sends modifications in order. Adding a value that is there or deleting one that is not counts
 * as done: a change repeated after a failure half-way must go through.
 */
export async function applyModifications(client: Client, modifications: Modification[]): Promise<void> {
  for (const { dn, operation, attribute, values } of modifications) {
    try {
      await client.modify(dn, new Change({ operation, modification: new Attribute({ type: attribute, values }) }));
    } catch (error) {
      if (operation === 'add' && error instanceof TypeOrValueExistsError) continue;
      if (operation === 'delete' && error instanceof NoSuchAttributeError) continue;
      throw error;
    }
  }
}
