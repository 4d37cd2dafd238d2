/** Reads the e-mails the server wrote to `<data dir>/outbox/` (.eml files, MIME). */
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import PostalMime from 'postal-mime';

export interface Mail {
  file: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
  date: number;
}

export async function readOutbox(dir: string): Promise<Mail[]> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith('.eml'));
  } catch {
    return [];
  }
  const mails: Mail[] = [];
  for (const name of names) {
    const file = path.join(dir, name);
    const raw = await readFile(file);
    const parsed = await PostalMime.parse(raw);
    mails.push({
      file,
      to: (parsed.to ?? [])
        .flatMap((a) => (a.group ? a.group.map((m) => m.address) : [a.address]))
        .map((address) => (address ?? '').toLowerCase()),
      subject: parsed.subject ?? '',
      text: parsed.text ?? '',
      html: parsed.html ?? '',
      date: (await stat(file)).mtimeMs,
    });
  }
  return mails.sort((a, b) => a.date - b.date);
}

/**
 * Waits for a new e-mail to `to` whose text part has a link to `page`, and returns the
 * link. `seen` lists files to ignore (mails read before).
 */
export async function waitForLink(
  dir: string,
  to: string,
  page: string,
  options: { seen?: Set<string>; timeoutMs?: number } = {},
): Promise<{ link: string; mail: Mail }> {
  const deadline = Date.now() + (options.timeoutMs ?? 15_000);
  const pattern = new RegExp(`https?://[^\\s"'<>]+${page.replace(/[/.*+?^${}()|[\]\\]/g, '\\$&')}#token=[A-Za-z0-9_-]+`);
  for (;;) {
    const mails = await readOutbox(dir);
    for (const mail of mails.reverse()) {
      if (options.seen?.has(mail.file) || !mail.to.includes(to.toLowerCase())) continue;
      const link = mail.text.match(pattern)?.[0];
      if (link) {
        options.seen?.add(mail.file);
        return { link, mail };
      }
    }
    if (Date.now() > deadline) {
      throw new Error(`no e-mail to ${to} with a ${page} link in ${dir} (found ${mails.length} e-mails)`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}
