import { test, expect } from './fixtures';
import { ROUTES } from '../src/constants';
import { testIds } from '../src/testIds';

test.describe('navigating app', () => {
  test('services page renders without a Cairn datasource', async ({ gotoPage, page }) => {
    await gotoPage(`/${ROUTES.Services}`);
    await expect(
      page.getByTestId(testIds.services.noDatasource).or(page.getByTestId(testIds.services.container))
    ).toBeVisible();
  });
});
