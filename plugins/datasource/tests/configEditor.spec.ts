import { test, expect } from '@grafana/plugin-e2e';
import { testIds } from '../src/testIds';

test('smoke: should render config editor', async ({ createDataSourceConfigPage, readProvisionedDataSource, page }) => {
  const ds = await readProvisionedDataSource({ fileName: 'datasources.yml' });
  await createDataSourceConfigPage({ type: ds.type });
  await expect(page.getByTestId(testIds.configEditor.url)).toBeVisible();
  await expect(page.getByPlaceholder('bridge API token')).toBeVisible();
});

test('"Save & test" succeeds when the bridge lists services', async ({
  createDataSourceConfigPage,
  readProvisionedDataSource,
  selectors,
  page,
}) => {
  const ds = await readProvisionedDataSource({ fileName: 'datasources.yml' });
  const configPage = await createDataSourceConfigPage({ type: ds.type });
  await page.getByTestId(testIds.configEditor.url).fill('http://bridge:8080');
  const servicesPath = `${selectors.apis.DataSource.proxy(configPage.datasource.uid, configPage.datasource.id.toString())}/api/v1/services`;
  await page.route(`**${servicesPath}*`, (route) => route.fulfill({ status: 200, json: { services: [] } }));
  await expect(configPage.saveAndTest({ path: servicesPath })).toBeOK();
  await expect(configPage).toHaveAlert('success');
});
