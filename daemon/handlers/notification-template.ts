import { HeraldError, TEMPLATE_KINDS, sampleValues, tagText, type NotificationTemplateView, type TagName } from '../../protocol/index.js';
import type { Handler, Services } from '../context.js';
import { checkTemplate, renderTemplate, type MailTemplate } from '../templates/render.js';
import { loadTemplate, loadTemplates, resetTemplate, saveTemplate, storeTagValues, type StoreTemplate } from '../templates/template-store.js';
import { requireStore } from './identity-store.js';

function toView(identityStore: string, template: StoreTemplate): NotificationTemplateView {
  const { kind, subject, text, html, isDefault } = template;
  return { identityStore, kind, subject, text, html, isDefault, tags: TEMPLATE_KINDS[kind].tags.map(tagText) };
}

export function notificationTemplateHandlers({ db, clock }: Services) {
  const get: Handler<'notificationTemplate.get'> = ({ identityStore, kind }) => {
    const store = requireStore(db, identityStore, 'identityStore');
    const templates = kind ? [loadTemplate(db, store.id, kind)] : loadTemplates(db, store.id);
    return templates.map((template) => toView(store.name, template));
  };

  const set: Handler<'notificationTemplate.set'> = ({ identityStore, kind, subject, text, html, reset }, caller) =>
    db.transaction(() => {
      const store = requireStore(db, identityStore, 'identityStore');
      if (reset) {
        resetTemplate(db, store.id, kind);
      } else {
        const patch: Partial<MailTemplate> = { subject, text, html };
        const issues = checkTemplate(kind, patch);
        if (issues.length > 0) {
          throw new HeraldError('ValidationFailed', issues.map((issue) => issue.message).join('; '), {
            field: issues[0].field,
            issues,
            allowedTags: TEMPLATE_KINDS[kind].tags.map(tagText),
            remedy: 'Get-Help Set-NotificationTemplate -Full says what each tag stands for',
          });
        }
        saveTemplate(db, store.id, kind, patch, { actor: caller.actor, at: clock().toISOString() });
      }
      return toView(store.name, loadTemplate(db, store.id, kind));
    })();

  const render: Handler<'notificationTemplate.render'> = ({ identityStore, kind, format }) => {
    const store = requireStore(db, identityStore, 'identityStore');
    const values = sampleValues(kind);
    // The store's real name and portal replace the samples, for the tags this kind has.
    for (const [tag, value] of Object.entries(storeTagValues(db, store)) as [TagName, string][]) {
      if (tag in values) values[tag] = value;
    }
    const mail = renderTemplate(loadTemplate(db, store.id, kind), values);
    return {
      identityStore: store.name,
      kind,
      subject: mail.subject,
      text: format === 'Html' ? null : mail.text,
      html: format === 'Text' ? null : mail.html,
    };
  };

  return {
    'notificationTemplate.get': get,
    'notificationTemplate.set': set,
    'notificationTemplate.render': render,
  };
}
