import type { Db } from '../database.js';
import type { SecretBox } from '../secrets.js';
import { loadSettings, readSecret } from '../settings/settings-store.js';
import { prepared } from '../sql.js';
import type { ContentRow, MailRow, RecipientRow } from './outbox.js';
import { smtpConfig, type SmtpConfig } from './smtp-config.js';

/**
 * What the mails of one claimed batch need, read once per batch rather than once per mail:
 * each store's settings, each content row, every recipient in one query. A notification to
 * 100,000 people shares one content and one store's settings across a thousand mails.
 */
export class BatchContext {
  private readonly stores = new Map<number, { settings: ReturnType<typeof loadSettings>; config: SmtpConfig | undefined }>();
  private readonly contents = new Map<number, ContentRow>();
  private readonly recipients = new Map<number, RecipientRow[]>();

  constructor(private readonly db: Db, private readonly secrets: SecretBox, mails: MailRow[]) {
    const rows = prepared(db, 'SELECT * FROM mail_recipient WHERE mail_id IN (SELECT value FROM json_each(?)) ORDER BY mail_id, position')
      .all(JSON.stringify(mails.map((m) => m.id))) as RecipientRow[];
    for (const row of rows) {
      const list = this.recipients.get(row.mail_id);
      if (list) list.push(row);
      else this.recipients.set(row.mail_id, [row]);
    }
  }

  store(storeId: number, storeName: string) {
    let entry = this.stores.get(storeId);
    if (!entry) {
      const settings = loadSettings(this.db, storeId);
      entry = { settings, config: smtpConfig(storeName, settings, (field) => readSecret(this.db, this.secrets, storeId, field)) };
      this.stores.set(storeId, entry);
    }
    return entry;
  }

  content(contentId: number): ContentRow {
    let content = this.contents.get(contentId);
    if (!content) {
      content = prepared(this.db, 'SELECT * FROM mail_content WHERE id = ?').get(contentId) as ContentRow;
      this.contents.set(contentId, content);
    }
    return content;
  }

  recipientsOf(mailId: number): RecipientRow[] {
    return this.recipients.get(mailId) ?? [];
  }
}
