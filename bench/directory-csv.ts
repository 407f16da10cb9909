/** Directories for benchmarks, loaded through directoryObject.import in CSV chunks. */

/** directoryObject.import takes at most 1,000,000 characters; the margin keeps the frame under 1 MiB. */
const CHUNK_CHARS = 900_000;
export const CSV_HEADER = 'ObjectType,Name,DisplayName,Mail,Manager,ManagedBy,Members';

/** CSV rows cut into import calls of at most CHUNK_CHARS, each with the header; order is kept. */
export function csvChunks(rows: string[]): string[] {
  const chunks: string[] = [];
  let current: string[] = [];
  let size = CSV_HEADER.length + 1;
  for (const row of rows) {
    if (current.length > 0 && size + row.length + 1 > CHUNK_CHARS) {
      chunks.push([CSV_HEADER, ...current].join('\n') + '\n');
      current = [];
      size = CSV_HEADER.length + 1;
    }
    current.push(row);
    size += row.length + 1;
  }
  if (current.length > 0) chunks.push([CSV_HEADER, ...current].join('\n') + '\n');
  return chunks;
}

