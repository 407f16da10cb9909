import { z } from 'zod';

/**
 * Field schemas shared by several methods. Every free-text input is checked here, at the
 * boundary: no control characters, bounded length.
 */

// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;

export const objectName = (what: string) =>
  z
    .string()
    .trim()
    .min(1, `${what} must not be empty`)
    .max(64, `${what} must be at most 64 characters`)
    .regex(/^[\p{L}\p{N}][\p{L}\p{N} ._-]*$/u, `${what} may contain letters, digits, spaces, '.', '_' and '-', and must start with a letter or digit`);

export const freeText = (what: string, max = 1024) =>
  z
    .string()
    .max(max, `${what} must be at most ${max} characters`)
    .refine((text) => !CONTROL_CHARACTERS.test(text), `${what} must not contain control characters`);

export const httpUrl = (what: string) =>
  z
    .string()
    .trim()
    .max(2048, `${what} must be at most 2048 characters`)
    .refine((text) => {
      try {
        const url = new URL(text);
        return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname !== '';
      } catch {
        return false;
      }
    }, `${what} must be an absolute http:// or https:// URL`);

/** Timestamps travel as ISO 8601 strings in UTC. */
export const timestamp = z.string().describe('ISO 8601 time in UTC');
