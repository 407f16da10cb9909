/**
 * The mail both sides of the delivery benchmark send: the same sender, subject and body, so
 * that herald and raw nodemailer build MIME of the same size and shape.
 */
export const SENDER = 'herald@bench.example';
export const SUBJECT = 'Membership of Sales changed';
export const BODY_BYTES = 2048;

/**
 * ~2 KB of plain ASCII in lines well under 76 characters: nodemailer sends it 7bit, without
 * quoted-printable or base64, like the typical notification text.
 */
export const BODY = (() => {
  const lines: string[] = [];
  let size = 0;
  for (let i = 1; size < BODY_BYTES; i++) {
    const line = `${String(i).padStart(2, '0')} The membership of group Sales changed: member ${i} joined.`;
    lines.push(line);
    size += line.length + 1;
  }
  return lines.join('\n').slice(0, BODY_BYTES);
})();

export function recipient(i: number): string {
  return `user${i}@bench.example`;
}

/** `count` recipients in lists of at most `size`, the way herald splits a long recipient list. */
export function recipientBatches(count: number, size: number): string[][] {
  const batches: string[][] = [];
  for (let start = 0; start < count; start += size) {
    batches.push(Array.from({ length: Math.min(size, count - start) }, (_, i) => recipient(start + i)));
  }
  return batches;
}
