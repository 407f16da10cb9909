import { describe, expect, it } from 'vitest';
import { openDatabase } from '../database.js';
import { claimDue, enqueue, mailById, pruneHistory, recipientsOf, recordResults, requeueInFlight, settle } from './outbox.js';
import { RateLimiter } from './rate-limiter.js';
import { retryDelay } from './retry-policy.js';

const enqueueIds = (...args: Parameters<typeof enqueue>) => enqueue(...args).map((mail) => mail.id);

function setup() {
  const db = openDatabase(':memory:');
  const { id } = db.prepare("INSERT INTO identity_store (name, name_key, type, created_at, updated_at) VALUES ('Corp', 'corp', 'Builtin', 'x', 'x') RETURNING id").get() as { id: number };
  const now = new Date('2026-11-26T09:00:00.000Z');
  const queue = (to: string[], maxRecipients = 100) =>
    enqueueIds(db, { storeId: id, storeName: 'Corp', kind: 'Custom', to, cc: [], subject: 's', text: 't', sender: 'herald@corp.example', maxRecipients, now, lifetimeMs: 3_600_000 });
  return { db, now, queue };
}

describe('the outbox', () => {
  it('splits recipients into mails sharing one content, each with its own Message-ID', () => {
    const { db, queue } = setup();
    const ids = queue(['a@x.example', 'b@x.example', 'c@x.example'], 2);
    expect(ids).toHaveLength(2);
    const [first, second] = ids.map((id) => mailById(db, id)!);
    expect(first.content_id).toBe(second.content_id);
    expect(first.message_id).not.toBe(second.message_id);
    expect(first.message_id).toMatch(/^<[0-9a-f-]+@corp\.example>$/);
    expect(recipientsOf(db, second.id).map((r) => r.address)).toEqual(['c@x.example']);
  });

  it('claims each due mail once, and puts mails caught in flight back after a crash', () => {
    const { db, now, queue } = setup();
    queue(['a@x.example'], 1);
    queue(['b@x.example'], 1);
    expect(claimDue(db, now, 10)).toHaveLength(2);
    expect(claimDue(db, now, 10)).toHaveLength(0);
    expect(requeueInFlight(db)).toBe(2);
    expect(claimDue(db, now, 1)).toHaveLength(1);
  });

  it('records outcomes and claims the next mails in one round, or only records when told to claim none', () => {
    const { db, now, queue } = setup();
    const [first] = queue(['a@x.example']);
    const [second] = queue(['b@x.example']);
    const [third] = queue(['c@x.example']);
    expect(settle(db, [], now, 1).map((mail) => mail.id)).toEqual([first]);
    const sent = { mailId: first, kind: 'sent' as const, sender: 'herald@corp.example', reply: '250 ok', recipients: [{ address: 'a@x.example', accepted: true }] };
    expect(settle(db, [sent], now, 1).map((mail) => mail.id)).toEqual([second]);
    expect(mailById(db, first)?.status).toBe('Sent');
    expect(recipientsOf(db, first)[0].status).toBe('Accepted');
    const failed = { mailId: second, kind: 'failed' as const, sender: null, error: '550 no' };
    expect(settle(db, [failed], now, 0)).toEqual([]);
    expect(mailById(db, second)?.status).toBe('Failed');
    expect(mailById(db, third)?.status).toBe('Pending');
  });

  it('prunes finished mails past the cutoff and the content they alone used', () => {
    const { db, now, queue } = setup();
    const [old] = queue(['old@x.example']);
    const [kept] = queue(['pending@x.example']);
    claimDue(db, now, 1);
    recordResults(db, [{ mailId: old, kind: 'sent', sender: 'herald@corp.example', reply: '250 ok', recipients: [{ address: 'old@x.example', accepted: true }] }], now);
    expect(pruneHistory(db, new Date(now.getTime() - 1))).toBe(0);
    expect(pruneHistory(db, new Date(now.getTime() + 1))).toBe(1);
    expect(mailById(db, old)).toBeUndefined();
    expect(mailById(db, kept)?.status).toBe('Pending');
    expect((db.prepare('SELECT COUNT(*) AS n FROM mail_content').get() as { n: number }).n).toBe(1);
  });
});

describe('retries and rate limits', () => {
  it('backs off exponentially within ±20%, capped', () => {
    const policy = { firstMs: 300_000, maxMs: 3_600_000, lifetimeMs: 0 };
    expect(retryDelay(policy, 1, () => 0.5)).toBe(300_000);
    expect(retryDelay(policy, 3, () => 0.5)).toBe(1_200_000);
    expect(retryDelay(policy, 10, () => 0.5)).toBe(3_600_000);
    expect(retryDelay(policy, 1, () => 0)).toBe(240_000);
    expect(retryDelay(policy, 1, () => 1)).toBe(360_000);
  });

  it('lets a store send its limit per minute, then names the next free slot', () => {
    const limiter = new RateLimiter();
    expect(limiter.take(1, 2, 0)).toEqual({ ok: true });
    expect(limiter.take(1, 2, 10_000)).toEqual({ ok: true });
    expect(limiter.take(1, 2, 20_000)).toEqual({ ok: false, retryAt: 60_000 });
    expect(limiter.take(2, 2, 20_000)).toEqual({ ok: true });
    expect(limiter.take(1, 2, 60_001)).toEqual({ ok: true });
    expect(limiter.take(1, null, 60_002)).toEqual({ ok: true });
  });
});
