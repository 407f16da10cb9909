/** One line of the SMTP conversation, as nodemailer's transaction log reports it. */
export interface Line {
  at: number;
  from: 'client' | 'server';
  text: string;
}

/** A command the client sent, the server's reply to it, and how long the server took. */
export interface TimedCommand {
  command: Line;
  reply: Line | undefined;
  durationMs: number;
}

/**
 * The SMTP conversation of one probe, line by line with timestamps: where the walk reads the
 * server's replies and times each step.
 */
export class Transcript {
  readonly lines: Line[] = [];

  add(line: Line): void {
    this.lines.push(line);
  }

  /** Where the lines sent from now on start: a mark for lastServerLine() and commandsSince(). */
  mark(): number {
    return this.lines.length;
  }

  serverLines(): Line[] {
    return this.lines.filter((l) => l.from === 'server');
  }

  /** The index of the first client line that `matches`, or -1. */
  indexOfClientLine(matches: (text: string) => boolean): number {
    return this.lines.findIndex((l) => l.from === 'client' && matches(l.text));
  }

  /** The first server line at or after `index`. */
  serverLineFrom(index: number): Line | undefined {
    return this.lines.slice(index).find((l) => l.from === 'server');
  }

  /** The server's reply to the last client line matching `command` (or to the nth such line). */
  lastReplyTo(command: RegExp, nth?: number): Line | undefined {
    const sent = this.lines.flatMap((l, i) => (l.from === 'client' && command.test(l.text) ? [i] : []));
    const index = nth === undefined ? sent[sent.length - 1] : sent[nth];
    if (index === undefined) return undefined;
    return this.serverLineFrom(index + 1);
  }

  lastServerLine(since: number): Line | undefined {
    return this.lines.slice(since).filter((l) => l.from === 'server').pop();
  }

  /**
   * The MAIL FROM, RCPT TO and DATA commands sent since `mark`, each with its reply and duration,
   * and the reply after the last of them (the answer to the message itself). Replies come in
   * command order, pipelined or not: pairing them up times each command.
   */
  commandsSince(mark: number, end: number): { timed: TimedCommand[]; final: string | undefined } {
    const after = this.lines.slice(mark);
    const commands = after.filter((l) => l.from === 'client' && /^(MAIL FROM:|RCPT TO:|DATA$)/i.test(l.text));
    const replies = after.filter((l) => l.from === 'server');
    let previous = mark > 0 ? this.lines[mark - 1].at : end;
    const timed = commands.map((command, i) => {
      const reply = replies[i];
      const durationMs = (reply?.at ?? end) - Math.max(command.at, previous);
      previous = reply?.at ?? end;
      return { command, reply, durationMs };
    });
    return { timed, final: replies[commands.length]?.text };
  }
}
