import { NOTIFICATION_KINDS, type NotificationKind } from '../../protocol/index.js';
import type { Db } from '../database.js';
import { loadSettings } from '../settings/settings-store.js';
import { prepared } from '../sql.js';
import { DEFAULT_TEMPLATES } from './defaults.js';
import type { MailTemplate, TagValues } from './render.js';

/** A store's template of one kind: its own parts where it changed them, the defaults elsewhere. */
export interface StoreTemplate extends MailTemplate {
  kind: NotificationKind;
  isDefault: boolean;
}

interface TemplateRow {
  kind: string;
  subject: string | null;
  text_body: string | null;
  html_body: string | null;
}

function merge(kind: NotificationKind, row: TemplateRow | undefined): StoreTemplate {
  const fallback = DEFAULT_TEMPLATES[kind];
  return {
    kind,
    subject: row?.subject ?? fallback.subject,
    text: row?.text_body ?? fallback.text,
    html: row?.html_body ?? fallback.html,
    isDefault: !row,
  };
}

export function loadTemplate(db: Db, storeId: number, kind: NotificationKind): StoreTemplate {
  const row = prepared(db, 'SELECT * FROM notification_template WHERE store_id = ? AND kind = ?').get(storeId, kind) as TemplateRow | undefined;
  return merge(kind, row);
}

/** Every kind's template, in the order of NOTIFICATION_KINDS. */
export function loadTemplates(db: Db, storeId: number): StoreTemplate[] {
  const rows = new Map((prepared(db, 'SELECT * FROM notification_template WHERE store_id = ?').all(storeId) as TemplateRow[]).map((row) => [row.kind, row]));
  return NOTIFICATION_KINDS.map((kind) => merge(kind, rows.get(kind)));
}

/**
 * Changes the given parts of a store's template, in the caller's transaction. A part equal to the
 * default is stored as "the default", so IsDefault stays true when someone writes the default
 * back, and a template with no part of its own leaves no row.
 */
export function saveTemplate(db: Db, storeId: number, kind: NotificationKind, patch: Partial<MailTemplate>, context: { actor: string; at: string }): void {
  const current = prepared(db, 'SELECT * FROM notification_template WHERE store_id = ? AND kind = ?').get(storeId, kind) as TemplateRow | undefined;
  const fallback = DEFAULT_TEMPLATES[kind];
  const part = (field: keyof MailTemplate, stored: string | null | undefined): string | null => {
    const value = patch[field];
    if (value === undefined) return stored ?? null;
    return value === fallback[field] ? null : value;
  };
  const next = { subject: part('subject', current?.subject), text: part('text', current?.text_body), html: part('html', current?.html_body) };
  if (next.subject === null && next.text === null && next.html === null) {
    resetTemplate(db, storeId, kind);
    return;
  }
  prepared(db, `INSERT INTO notification_template (store_id, kind, subject, text_body, html_body, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (store_id, kind) DO UPDATE SET subject = excluded.subject, text_body = excluded.text_body, html_body = excluded.html_body,
      updated_at = excluded.updated_at, updated_by = excluded.updated_by`)
    .run(storeId, kind, next.subject, next.text, next.html, context.at, context.actor);
}

export function resetTemplate(db: Db, storeId: number, kind: NotificationKind): void {
  prepared(db, 'DELETE FROM notification_template WHERE store_id = ? AND kind = ?').run(storeId, kind);
}

/**
 * The tag values a store supplies to every mail: its name, and the portal users are sent to (the
 * password-expiry portal, else the first linked portal, else none).
 */
export function storeTagValues(db: Db, store: { id: number; name: string }): TagValues {
  const portal = loadSettings(db, store.id).passwordPortalUrl
    ?? (prepared(db, 'SELECT url FROM identity_store_portal WHERE store_id = ? ORDER BY name_key LIMIT 1').get(store.id) as { url: string } | undefined)?.url;
  return { IDENTITYSTORE_Name: store.name, ...(portal ? { PORTAL_URL: portal } : {}) };
}
