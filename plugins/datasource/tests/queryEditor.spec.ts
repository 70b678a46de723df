import { test, expect } from '@grafana/plugin-e2e';
import { testIds } from '../src/testIds';

test('smoke: should render query editor', async ({ panelEditPage, readProvisionedDataSource }) => {
  const ds = await readProvisionedDataSource({ fileName: 'datasources.yml' });
  await panelEditPage.datasource.set(ds.name);
  const row = panelEditPage.getQueryEditorRow('A');
  await expect(row.getByTestId(testIds.queryEditor.service)).toBeVisible();
  await expect(row.getByTestId(testIds.queryEditor.query)).toBeVisible();
});

test('logs query returns a log frame', async ({ panelEditPage, readProvisionedDataSource, page }) => {
  const ds = await readProvisionedDataSource({ fileName: 'datasources.yml' });
  await page.route('**/api/v1/logs/search*', (route) =>
    route.fulfill({
      status: 200,
      json: {
        total: 1,
        hits: [
          {
            id: 'e2e-1',
            index: 'cairn-logs-default',
            record: {
              '@timestamp': new Date().toISOString(),
              message: 'payment failed for order 42',
              log: { level: 'error' },
              service: { name: 'checkout' },
              labels: {},
              cairn: { format: 'json', repaired: [] },
            },
          },
        ],
      },
    })
  );
  await panelEditPage.datasource.set(ds.name);
  await panelEditPage.setVisualization('Table');
  await panelEditPage.getQueryEditorRow('A').getByTestId(testIds.queryEditor.service).fill('checkout');
  await expect(panelEditPage.refreshPanel()).toBeOK();
  await expect(panelEditPage.panel.data).toContainText(['payment failed for order 42']);
});
