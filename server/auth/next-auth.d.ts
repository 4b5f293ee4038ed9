import "next-auth";

declare module "next-auth" {
  interface Session {
    user: { id: string; name?: string | null; email?: string | null; image?: string | null };
    /** The server-side session id (server/auth/sessions.ts). */
    sid?: string;
  }
}
