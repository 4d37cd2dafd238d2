/**
 * The e-mail queue on the dashboard's home page, on a server of its own whose mail
 * server is down at first: a contact message's forward fails for good and shows as
 * "could not be sent"; once the mail server is up, "try again" sends it.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertNoProblems, newContext, screenshot, waitForPath, waitForText } from './browser';
import { BIN, DIST, env, signIn } from './harness';
import { freePort, startServer } from './server';
import { startSmtpSink } from './smtp';

const admin = { email: 'kuyruk@example.com', password: 'mavi kuyruk sepeti 7' };

test('e-mail queue: a message that could not be sent shows on the home page and goes out when tried again', async () => {
  const smtpPort = await freePort();
  const server = await startServer({
    bin: BIN,
    distDir: DIST,
    admins: [admin],
    env: { VITRIN_SMTP_URL: `smtp://127.0.0.1:${smtpPort}`, VITRIN_JOB_ATTEMPTS: '1', VITRIN_JOB_POLL_INTERVAL: '200ms' },
  });
  const s = await newContext(env.browser, server.origin);
  try {
    const sent = await fetch(`${server.origin}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: 'mutation($i: ContactInput!) { submitContactMessage(input: $i) }',
        variables: { i: { name: 'Deniz', email: 'deniz@example.com', message: 'Cuma günü açık mısınız?' } },
      }),
    });
    assert.equal((await sent.json()).data.submitContactMessage, true);

    const { page } = s;
    await page.goto('/dashboard/login/');
    await signIn(page, admin.email, admin.password);
    await waitForPath(page, '/dashboard/');
    const card = page.locator('section.mail-queue');
    await card.getByRole('heading', { name: 'E-posta kuyruğu' }).waitFor();
    const dead = card.locator('[data-job-id]');
    for (let i = 0; (await dead.count()) === 0; i++) {
      assert.ok(i < 50, 'the failed e-mail never showed');
      await page.waitForTimeout(200);
      await card.getByRole('button', { name: 'Yenile' }).click();
    }
    await waitForText(dead.first(), admin.email);
    await waitForText(card.locator('.queue-counts .is-alert dd'), '1');
    await screenshot(page, 'home-mail-queue-dead');

    const sink = await startSmtpSink(smtpPort);
    try {
      await card.getByRole('button', { name: /^Yeniden dene:/ }).click();
      await waitForText(card.locator('.sr-status'), 'Yeniden kuyruğa alındı');
      for (let i = 0; sink.messages.length === 0; i++) {
        assert.ok(i < 100, 'the retried e-mail never reached the mail server');
        await new Promise((r) => setTimeout(r, 100));
      }
      assert.match(sink.messages[0] ?? '', /Cuma g/);
      for (let i = 0; (await card.locator('[data-job-id]').count()) > 0 || !(await card.textContent())?.includes('Bütün e-postalar gönderildi.'); i++) {
        assert.ok(i < 50, 'the queue never showed everything sent');
        await card.getByRole('button', { name: 'Yenile' }).click();
        await page.waitForTimeout(200);
      }
      await screenshot(page, 'home-mail-queue-sent');
    } finally {
      await sink.close();
    }
    await assertNoProblems(page, s.problems);
  } finally {
    await s.context.close();
    await server.stop();
  }
});
