// Brute-force throttling of the sign-in form (rate-limiter-flexible), three limits:
//   e-mail + IP   SIGNIN_THROTTLE_ATTEMPTS failures in the window → that pair waits out the window.
//   IP            20× that across all e-mails (one address spraying many accounts).
//   e-mail alone  SIGNIN_ACCOUNT_ATTEMPTS failures from ANY addresses in a day → progressive delays:
//                 each further failure doubles the wait (2 s, 4 s, 8 s … capped at 15 min).
// Why delays and not a lock for the account-wide limit: rotating addresses must not buy unlimited
// guesses (each guess past the limit costs the attacker an ever longer wait, ~100 a day at the cap),
// but a hard lock would let anyone lock any operator out for good by failing on purpose. A delay
// ends by itself, and addresses this account signed in from successfully in the last 21 days skip it
// (they keep their own e-mail + IP limit), so the operator's usual place still gets in during an attack.
// On Redis when REDIS_URL is set (shared by all instances), with an in-memory insurance limiter
// that takes over while Redis is unreachable; in-memory only otherwise.
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract, type IRateLimiterOptions } from "rate-limiter-flexible";
import { env } from "../env";
import { redisClient } from "../redis";

/** Longest account-wide wait between two attempts once the account limit is passed. */
export const ACCOUNT_MAX_DELAY_SECONDS = 15 * 60;
const ACCOUNT_WINDOW_SECONDS = 24 * 60 * 60;
// 21 days: in-memory limiters expire keys with setTimeout, which cannot wait longer than ~24.8 days.
const KNOWN_ADDRESS_SECONDS = 21 * 24 * 60 * 60;

interface Limiters {
  perAccount: RateLimiterAbstract;
  perIp: RateLimiterAbstract;
  /** Failures per e-mail from any address (counts only). */
  accountFailures: RateLimiterAbstract;
  /** The current account-wide delay (a block set by recordFailedSignIn). */
  accountDelay: RateLimiterAbstract;
  /** e-mail + address pairs that signed in successfully. */
  knownAddress: RateLimiterAbstract;
}

const globalForLimiters = globalThis as unknown as { credoSigninLimiters?: Limiters };

function build(): Limiters {
  const duration = env.SIGNIN_THROTTLE_WINDOW_SECONDS;
  const opts: Record<keyof Limiters, IRateLimiterOptions & { keyPrefix: string }> = {
    perAccount: { keyPrefix: "signin:acct", points: env.SIGNIN_THROTTLE_ATTEMPTS, duration, blockDuration: duration },
    perIp: { keyPrefix: "signin:ip", points: env.SIGNIN_THROTTLE_ATTEMPTS * 20, duration, blockDuration: duration },
    accountFailures: { keyPrefix: "signin:acctall", points: 1_000_000, duration: ACCOUNT_WINDOW_SECONDS },
    accountDelay: { keyPrefix: "signin:acctdelay", points: 1, duration: ACCOUNT_MAX_DELAY_SECONDS },
    knownAddress: { keyPrefix: "signin:known", points: 1, duration: KNOWN_ADDRESS_SECONDS },
  };
  const redis = redisClient();
  const make = (o: IRateLimiterOptions & { keyPrefix: string }): RateLimiterAbstract =>
    redis
      ? new RateLimiterRedis({ storeClient: redis, useRedisPackage: false, ...o, keyPrefix: `credo:${o.keyPrefix}`, insuranceLimiter: new RateLimiterMemory(o) })
      : new RateLimiterMemory(o);
  return {
    perAccount: make(opts.perAccount),
    perIp: make(opts.perIp),
    accountFailures: make(opts.accountFailures),
    accountDelay: make(opts.accountDelay),
    knownAddress: make(opts.knownAddress),
  };
}

function limiters(): Limiters {
  return (globalForLimiters.credoSigninLimiters ??= build());
}

const accountKey = (email: string, ip: string) => `${email.toLowerCase()}|${ip}`;
const emailKey = (email: string) => email.toLowerCase();

/** The wait after `failures` account-wide failures: none up to the limit, then 2^n seconds, capped. */
export function accountDelaySeconds(failures: number, limit = env.SIGNIN_ACCOUNT_ATTEMPTS): number {
  const over = failures - limit;
  if (over <= 0) return 0;
  return Math.min(2 ** Math.min(over, 30), ACCOUNT_MAX_DELAY_SECONDS);
}

function over(r: RateLimiterRes | null, limiter: RateLimiterAbstract): RateLimiterRes | null {
  return r && r.consumedPoints >= limiter.points ? r : null;
}

/** Seconds until another attempt is allowed, or 0 if the attempt may proceed. */
export async function signInBlockedFor(email: string, ip: string): Promise<number> {
  const l = limiters();
  const [a, i, d, known] = await Promise.all([
    l.perAccount.get(accountKey(email, ip)),
    l.perIp.get(ip),
    l.accountDelay.get(emailKey(email)),
    l.knownAddress.get(accountKey(email, ip)),
  ]);
  const blocked = [over(a, l.perAccount), over(i, l.perIp), known ? null : over(d, l.accountDelay)].filter((r): r is RateLimiterRes => r !== null);
  return blocked.length ? Math.max(1, Math.ceil(Math.max(...blocked.map((r) => r.msBeforeNext)) / 1000)) : 0;
}

export async function recordFailedSignIn(email: string, ip: string): Promise<void> {
  const l = limiters();
  // consume() rejects once the limit is reached; the rejection is the expected "now blocked" signal.
  const [, , all] = await Promise.allSettled([l.perAccount.consume(accountKey(email, ip)), l.perIp.consume(ip), l.accountFailures.consume(emailKey(email))]);
  const failures = all.status === "fulfilled" ? all.value.consumedPoints : 0;
  const delay = accountDelaySeconds(failures);
  if (delay > 0) await l.accountDelay.block(emailKey(email), delay).catch(() => undefined);
}

/**
 * A success clears this address's own counter and marks it as known for the account. The account-wide
 * failures are kept on purpose: a victim signing in must not hand an ongoing guesser a fresh allowance.
 */
export async function recordSuccessfulSignIn(email: string, ip: string): Promise<void> {
  const l = limiters();
  await Promise.allSettled([
    l.perAccount.delete(accountKey(email, ip)),
    l.knownAddress.set(accountKey(email, ip), 1, KNOWN_ADDRESS_SECONDS),
  ]);
}

/** Tests: forget limiter instances (e.g. after changing REDIS_URL). */
export function resetSignInLimiters(): void {
  globalForLimiters.credoSigninLimiters = undefined;
}
