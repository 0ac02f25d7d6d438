import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { AxeBuilder } from '@axe-core/playwright';
import type { BrowserContext, Page } from 'playwright-core';
import { browserSkipReason, launchBrowser } from '../support/browser.js';
import { linkIn, nextMailTo, startAccountApp, type AccountTestApp } from './support.js';

/**
 * The account forms in a real Chromium: sign up and sign in by typing into the forms and
 * pressing their buttons (no JavaScript of ours is needed), and axe-core on each page.
 */

if (browserSkipReason) test(browserSkipReason, { skip: browserSkipReason }, () => {});

describe('account pages in a browser', { skip: browserSkipReason }, () => {
  let t: AccountTestApp;
  let browser: { context: BrowserContext; close: () => Promise<void> };
  let page: Page;

  before(async () => {
    t = await startAccountApp();
    browser = await launchBrowser();
    page = browser.context.pages()[0] ?? (await browser.context.newPage());
  });
  after(async () => {
    await browser?.close();
    await t?.close();
  });

  async function axe(label: string): Promise<void> {
    const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    for (const v of bad)
      console.log(
        `  ${label}: ${v.impact} ${v.id}: ${v.help}\n    ${v.nodes
          .slice(0, 5)
          .map((n) => n.target.join(' '))
          .join('\n    ')}`,
      );
    assert.deepEqual(
      bad.map((v) => `${v.id} (${v.nodes.length})`),
      [],
      `${label} has serious or critical accessibility violations`,
    );
    assert.ok(result.passes.length > 0);
  }

  test('sign up and sign in through the real forms, without JavaScript; every page passes axe', async () => {
    await browser.context.route('**/assets/app.js', (route) => route.abort());
    try {
      await page.goto(`${t.app.url}/sign-up`);
      await axe('/sign-up');
      await page.getByLabel('Your name').fill('Ada Browser');
      await page.getByLabel('E-mail address').fill('ada@browser.example');
      await page.getByLabel('Password').fill('short');
      // The field has no minlength: this checks the server's answer and what the form keeps.
      await page.getByRole('button', { name: 'Create account' }).click();
      await page.waitForURL(`${t.app.url}/sign-up`);
      assert.match((await page.getByRole('alert').textContent()) ?? '', /Password: must be at least 12 characters/);
      assert.equal(await page.getByLabel('Your name').inputValue(), 'Ada Browser', 'typed values are kept');
      await axe('/sign-up with errors');

      await page.getByLabel('Password').fill('a long enough passphrase');
      await page.getByRole('button', { name: 'Create account' }).click();
      await page.waitForURL(`${t.app.url}/sign-up/sent`);
      assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Check your inbox');
      await axe('/sign-up/sent');

      await page.goto(`${t.app.url}/sign-in?next=%2Faccount`);
      await axe('/sign-in');
      const passwordForm = page.getByRole('form', { name: 'Sign in with your password' });
      await passwordForm.getByLabel('E-mail address').fill('ada@browser.example');
      await passwordForm.getByLabel('Password').fill('a wrong passphrase');
      await passwordForm.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForLoadState();
      assert.match((await page.getByRole('alert').first().textContent()) ?? '', /The e-mail address or the password is wrong\./);
      await axe('/sign-in with an error');

      await passwordForm.getByLabel('Password').fill('a long enough passphrase');
      await passwordForm.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL(`${t.app.url}/account`);
      assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Your account');
      assert.ok(await page.getByRole('navigation', { name: 'Account' }).getByRole('link', { name: 'Ada Browser' }).isVisible());
      await axe('/account');

      for (const path of ['/account/tokens', '/account/data', '/account/delete', '/forgot-password']) {
        await page.goto(t.app.url + path);
        await axe(path);
      }

      await page.goto(`${t.app.url}/account/tokens`);
      assert.match(await page.getByRole('main').innerText(), /Confirm your e-mail address to create tokens/);
      assert.equal(await page.getByRole('button', { name: 'Create token' }).count(), 0, 'no token before the address is confirmed');
      const confirm = linkIn(await nextMailTo(t.smtp, 'ada@browser.example', 0), '/verify-email');
      await page.goto(t.app.url + confirm);
      await page.getByRole('button', { name: 'Confirm my address' }).click();
      await page.waitForLoadState();
      await page.goto(`${t.app.url}/account/tokens`);
      await page.getByLabel('Name').fill('CI');
      await page.getByRole('button', { name: 'Create token' }).click();
      await page.waitForLoadState();
      assert.match(await page.getByLabel('Token').inputValue(), /^hw_/);
      await axe('/account/tokens result');

      await page.getByRole('navigation', { name: 'Account' }).getByRole('button', { name: 'Sign out' }).click();
      await page.waitForURL(`${t.app.url}/sign-in`);
      assert.match((await page.getByRole('status').textContent()) ?? '', /You are signed out\./);
    } finally {
      await browser.context.unroute('**/assets/app.js');
    }
  });

  test('at phone width the account pages do not scroll sideways', async () => {
    await page.setViewportSize({ width: 375, height: 800 });
    for (const path of ['/sign-in', '/sign-up', '/forgot-password']) {
      await page.goto(t.app.url + path);
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 376, `${path} is ${width}px wide`);
    }
  });
});
