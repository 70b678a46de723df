import { test, expect } from './fixtures';
import { testIds } from '../src/testIds';

test('should be possible to save app configuration', async ({ appConfigPage, page }) => {
  await page.getByTestId(testIds.appConfig.datasourceUid).fill('cairn-bridge');
  const saveResponse = appConfigPage.waitForSettingsResponse();
  await page.getByTestId(testIds.appConfig.submit).click();
  await expect(saveResponse).toBeOK();
});
