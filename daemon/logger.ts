import { appendFileSync } from 'node:fs';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

// Field names whose values are never written, whatever a caller passes by mistake.
const SECRET_KEY = /pass(word)?|secret|token|credential|authorization|cookie/i;

function redact(fields: LogFields): LogFields {
  const out: LogFields = {};
  for (const [key, value] of Object.entries(fields)) {
    if (SECRET_KEY.test(key)) out[key] = '[redacted]';
    else if (value instanceof Error) out[key] = { name: value.name, message: value.message };
    else out[key] = value;
  }
  return out;
}

/** JSON lines to a file and to stderr; one line per event so the log is easy to grep and parse. */
export function createLogger(file: string | undefined, minimum: LogLevel, stderr = process.stderr): Logger {
  const write = (level: LogLevel, message: string, fields: LogFields = {}) => {
    if (RANK[level] < RANK[minimum]) return;
    const line = JSON.stringify({ time: new Date().toISOString(), level, message, ...redact(fields) }) + '\n';
    stderr.write(line);
    if (file) {
      try {
        appendFileSync(file, line, { mode: 0o600 });
      } catch {
        // A full disk must not take the daemon down; stderr still has the line.
      }
    }
  };
  return {
    debug: (message, fields) => write('debug', message, fields),
    info: (message, fields) => write('info', message, fields),
    warn: (message, fields) => write('warn', message, fields),
    error: (message, fields) => write('error', message, fields),
  };
}
