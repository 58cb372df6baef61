import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { fromBuffer } from 'yauzl';

import { expectAccessible, signUpThroughForm } from './account-helpers';

/** The names of the entries of a zip. */
function entriesOf(buffer: Buffer): Promise<string[]> {
  return new Promise((resolve, reject) => {
    fromBuffer(buffer, { lazyEntries: true }, (error, zip) => {
      if (error) return reject(error);
      const names: string[] = [];
      zip.on('entry', (entry: { fileName: string }) => {
        names.push(entry.fileName);
        zip.readEntry();
      });
      zip.on('end', () => resolve(names));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

test.describe('your data', () => {
  test('an owner exports the business, downloads the archive once and sees it in Activity', async ({
    page,
  }, testInfo) => {
    await signUpThroughForm(page, { business: 'Export Farm' });
    await page.goto('/settings/data');
    await expect(page.getByRole('heading', { level: 1, name: 'Your data' })).toBeVisible();
    await page.getByRole('button', { name: 'Export all data' }).click();
    const download = page.getByRole('link', { name: 'Download', exact: true });
    await expect(download).toBeVisible({ timeout: 30_000 });
    await expect(page.getByText(/The link works once, until/)).toBeVisible();
    await expectAccessible(page, 'settings: your data');
    await page.screenshot({
      path: testInfo.outputPath(`data-${testInfo.project.name}.png`),
      fullPage: true,
    });

    const [file] = await Promise.all([page.waitForEvent('download'), download.click()]);
    expect(file.suggestedFilename()).toMatch(/^marketprep-export-\d{4}-\d{2}-\d{2}\.zip$/);
    const path = testInfo.outputPath('export.zip');
    await file.saveAs(path);
    const names = await entriesOf(await readFile(path));
    expect(names).toEqual(
      expect.arrayContaining(['manifest.json', 'README.txt', 'sales.csv', 'products.csv']),
    );
    // Used once: the list says so and offers no second download.
    await expect(page.getByText(/^Downloaded /)).toBeVisible();
    await expect(page.getByRole('link', { name: 'Download', exact: true })).toHaveCount(0);

    await page.goto('/settings/activity');
    await expect(page.getByRole('heading', { level: 1, name: 'Activity' })).toBeVisible();
    await expect(page.getByText('requested a data export')).toBeVisible();
    await expect(page.getByText('downloaded a data export')).toBeVisible();
    await expectAccessible(page, 'settings: activity');
    await page.screenshot({
      path: testInfo.outputPath(`activity-${testInfo.project.name}.png`),
      fullPage: true,
    });
    await page.getByLabel('Show').selectOption('auth');
    await page.getByRole('button', { name: 'Apply' }).click();
    await expect(page.getByText('requested a data export')).toHaveCount(0);
    await expect(page.getByRole('heading', { name: 'Nothing recorded here' })).toBeVisible();
  });

  test('an owner deletes the business with its typed name, then restores it', async ({
    page,
  }, testInfo) => {
    await signUpThroughForm(page, { business: 'Gone Farm' });
    await page.goto('/settings/data');
    const confirm = page.getByLabel('Type “Gone Farm” to confirm');
    await confirm.fill('Gone farm');
    await page.getByRole('button', { name: 'Delete business' }).click();
    await expect(page.getByText('Type the business name exactly to confirm.')).toBeVisible();
    await confirm.fill('Gone Farm');
    await page.getByRole('button', { name: 'Delete business' }).click();
    await expect(page.getByText(/Gone Farm will be deleted on/)).toBeVisible();
    await expectAccessible(page, 'settings: deletion pending');
    await page.screenshot({
      path: testInfo.outputPath(`deletion-${testInfo.project.name}.png`),
      fullPage: true,
    });
    await page.getByRole('button', { name: 'Restore Gone Farm' }).click();
    await expect(page.getByRole('button', { name: 'Delete business' })).toBeVisible();

    // The last owner cannot delete the account while the business exists.
    await page.getByLabel(/Type your email/).fill('nobody@example.com');
    await page.getByRole('button', { name: 'Delete my account' }).click();
    await expect(page.getByText('Type your account email exactly to confirm.')).toBeVisible();
  });
});
