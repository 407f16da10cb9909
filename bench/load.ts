import WebSocket from 'ws';
import { MAX_FRAME_BYTES, SUBPROTOCOL } from '../protocol/index.js';
import { percentile } from './stats.js';

export interface RunResult {
  calls: number;
  inFlight: number;
  callsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  /** CPU the load generator itself used, as % of one core: near 100 means the client, not the server, set the pace. */
  clientCpuPct: number;
}

/**
 * Opens one raw connection with herald's handshake (bearer token, herald.v1 subprotocol). The
 * bare server gets the very same handshake and ignores it, so both sides are driven alike.
 */
export function openSocket(url: string, token: string, ca?: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, [SUBPROTOCOL], {
      headers: { Authorization: `Bearer ${token}` },
      maxPayload: MAX_FRAME_BYTES,
      perMessageDeflate: false,
      handshakeTimeout: 5000,
      ...(ca ? { ca } : {}),
    });
    ws.once('unexpected-response', (_request, response) => {
      response.resume();
      ws.terminate();
      reject(new Error(`${url}: upgrade refused with HTTP ${response.statusCode}`));
    });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

/**
 * Sends `calls` requests keeping `inFlight` outstanding: a new request leaves as each answer
 * arrives. Any error answer aborts the run, so a misconfigured server cannot look fast.
 */
export function runCalls(ws: WebSocket, method: string, params: unknown, calls: number, inFlight: number): Promise<RunResult> {
  // The request text is built once around the id so the generator's own cost stays small and identical for both servers.
  const head = `{"jsonrpc":"2.0","method":${JSON.stringify(method)},"params":${JSON.stringify(params)},"id":`;
  const starts = new Float64Array(calls);
  const latencies = new Float64Array(calls);
  let sent = 0;
  let done = 0;
  return new Promise((resolve, reject) => {
    const send = () => {
      const id = sent++;
      starts[id] = performance.now();
      ws.send(`${head}${id}}`);
    };
    const finish = (error?: Error) => {
      ws.off('message', onMessage);
      ws.off('close', onClose);
      if (error) return reject(error);
      const seconds = (performance.now() - t0) / 1000;
      const cpu = process.cpuUsage(cpu0);
      latencies.sort();
      resolve({
        calls,
        inFlight,
        callsPerSec: calls / seconds,
        p50Ms: percentile(latencies, 50),
        p99Ms: percentile(latencies, 99),
        clientCpuPct: ((cpu.user + cpu.system) / 1e6 / seconds) * 100,
      });
    };
    const onMessage = (data: WebSocket.RawData) => {
      const now = performance.now();
      const reply = JSON.parse(String(data)) as { id?: unknown; error?: unknown };
      if (reply.error !== undefined || typeof reply.id !== 'number' || reply.id >= calls) {
        return finish(new Error(`${method} failed: ${String(data).slice(0, 300)}`));
      }
      latencies[reply.id] = now - starts[reply.id];
      if (++done === calls) return finish();
      if (sent < calls) send();
    };
    const onClose = (code: number) => finish(new Error(`connection closed (${code}) after ${done} of ${calls} calls`));
    ws.on('message', onMessage);
    ws.on('close', onClose);
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    for (let i = 0; i < Math.min(inFlight, calls); i++) send();
  });
}
