// A recorder of what one request sends over the network, in order: every SQL statement (any pg
// client of this process — Prisma's adapter included) and every Redis command. For the bench
// ("statements per request") and the tests that hold a request to ONE transaction with no Redis
// call while it is open. Never installed by the app itself: installing patches pg's and ioredis's
// prototypes for the whole process, so only tests and `npm run bench` call it.
import pg from "pg";
import { Redis } from "ioredis";

export interface LoggedCall {
  readonly kind: "sql" | "redis";
  /** The SQL text (first 200 characters) or the Redis command name. */
  readonly text: string;
}

const globalForLog = globalThis as unknown as { credoStatementLog?: { installed: boolean; sink: LoggedCall[] | null } };
const state = (globalForLog.credoStatementLog ??= { installed: false, sink: null });

function record(kind: LoggedCall["kind"], text: string): void {
  state.sink?.push({ kind, text: text.slice(0, 200) });
}

/** Patches pg.Client#query and ioredis (commands and MULTI/pipelines) once per process. */
export function installStatementLog(): void {
  if (state.installed) return;
  state.installed = true;
  const query = pg.Client.prototype.query as (...args: unknown[]) => unknown;
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    const first = args[0];
    const text = typeof first === "string" ? first : first && typeof first === "object" && "text" in first ? String((first as { text: unknown }).text) : "?";
    record("sql", text.trim());
    return query.apply(this, args);
  } as typeof pg.Client.prototype.query;
  const proto = Redis.prototype as unknown as { sendCommand: (command: { name?: string }, ...rest: unknown[]) => unknown };
  const sendCommand = proto.sendCommand;
  proto.sendCommand = function (this: unknown, command: { name?: string }, ...rest: unknown[]) {
    record("redis", command?.name ?? "?");
    return sendCommand.call(this, command, ...rest);
  };
}

/** Everything sent while `fn` runs (install first). Concurrent work of the process is included too. */
export async function recordCalls<T>(fn: () => Promise<T>): Promise<{ result: T; calls: LoggedCall[] }> {
  if (!state.installed) throw new Error("installStatementLog() first");
  if (state.sink) throw new Error("recordCalls does not nest");
  const calls: LoggedCall[] = [];
  state.sink = calls;
  try {
    const result = await fn();
    return { result, calls };
  } finally {
    state.sink = null;
  }
}

/** SQL statements in a recording, with how many transactions they opened. */
export function summarize(calls: readonly LoggedCall[]): { statements: number; transactions: number; redis: number } {
  const sql = calls.filter((c) => c.kind === "sql");
  return {
    statements: sql.length,
    transactions: sql.filter((c) => /^BEGIN\b/i.test(c.text)).length,
    redis: calls.filter((c) => c.kind === "redis").length,
  };
}

/** Redis commands sent between a BEGIN and its COMMIT/ROLLBACK (on one connection at a time). */
export function redisInsideTransactions(calls: readonly LoggedCall[]): LoggedCall[] {
  const inside: LoggedCall[] = [];
  let open = 0;
  for (const c of calls) {
    if (c.kind === "sql" && /^BEGIN\b/i.test(c.text)) open++;
    else if (c.kind === "sql" && /^(COMMIT|ROLLBACK)\b/i.test(c.text)) open = Math.max(0, open - 1);
    else if (c.kind === "redis" && open > 0) inside.push(c);
  }
  return inside;
}
