import { DurableObject } from "cloudflare:workers";
import type { Env } from "./env";

/** Untagged keys are recorded under this tag so that "everything" finds them. */
const NO_TAG = "";

/**
 * One instance (`idFromName("tags")`): which cache keys carry which tags, and which purge
 * signatures were already used (replay protection), in SQLite-backed storage.
 */
export class TagIndex extends DurableObject<Env> {
  private sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.sql.exec(
      `CREATE TABLE IF NOT EXISTS tagged (tag TEXT NOT NULL, key TEXT NOT NULL, expires INTEGER NOT NULL, PRIMARY KEY (tag, key));
       CREATE INDEX IF NOT EXISTS tagged_key ON tagged (key);
       CREATE INDEX IF NOT EXISTS tagged_expires ON tagged (expires);
       CREATE TABLE IF NOT EXISTS signatures (sig TEXT PRIMARY KEY, expires INTEGER NOT NULL);`,
    );
  }

  /** Records that `key` is stored with `tags` until `expiresMs`, when the cache drops it
   * (replacing what it had); rows of copies the cache has dropped go meanwhile, so the
   * index does not grow with every address ever asked for. */
  record(key: string, tags: string[], expiresMs: number): void {
    this.sql.exec("DELETE FROM tagged WHERE expires < ?", Date.now());
    this.sql.exec("DELETE FROM tagged WHERE key = ?", key);
    const all = tags.length ? tags : [NO_TAG];
    for (const tag of all) {
      this.sql.exec("INSERT OR IGNORE INTO tagged (tag, key, expires) VALUES (?, ?, ?)", tag, key, expiresMs);
    }
  }

  /** Returns and forgets the keys carrying any of `tags`. */
  purgeTags(tags: string[]): string[] {
    const keys = new Set<string>();
    for (const tag of tags) {
      for (const row of this.sql.exec<{ key: string }>("SELECT key FROM tagged WHERE tag = ?", tag)) keys.add(row.key);
    }
    for (const key of keys) this.sql.exec("DELETE FROM tagged WHERE key = ?", key);
    return [...keys];
  }

  /** Returns and forgets every key. */
  purgeAll(): string[] {
    const keys = this.sql.exec<{ key: string }>("SELECT DISTINCT key FROM tagged").toArray().map((r) => r.key);
    this.sql.exec("DELETE FROM tagged");
    return keys;
  }

  /** Tags currently recorded for a key (tests, debugging). */
  tagsOf(key: string): string[] {
    return this.sql.exec<{ tag: string }>("SELECT tag FROM tagged WHERE key = ? ORDER BY tag", key).toArray().map((r) => r.tag);
  }

  /** True when the signature is new (and remembers it until `expiresMs`); false on replay. */
  useSignature(sig: string, expiresMs: number): boolean {
    const now = Date.now();
    this.sql.exec("DELETE FROM signatures WHERE expires < ?", now);
    const seen = this.sql.exec("SELECT 1 FROM signatures WHERE sig = ?", sig).toArray().length > 0;
    if (seen) return false;
    this.sql.exec("INSERT INTO signatures (sig, expires) VALUES (?, ?)", sig, expiresMs);
    return true;
  }
}
