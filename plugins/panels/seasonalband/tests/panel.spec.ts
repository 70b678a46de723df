import { test, expect } from '@grafana/plugin-e2e';
import { testIds } from '../src/testIds';

test('explains what it needs when the panel data is empty', async ({ gotoPanelEditPage, readProvisionedDashboard }) => {
  const dashboard = await readProvisionedDashboard({ fileName: 'dashboard.json' });
  const panelEditPage = await gotoPanelEditPage({ dashboard, id: '2' });
  await expect(panelEditPage.panel.locator).toContainText('No data');
});

test('draws the band and the anomaly points', async ({ gotoPanelEditPage, readProvisionedDashboard, page }) => {
  const dashboard = await readProvisionedDashboard({ fileName: 'dashboard.json' });
  await gotoPanelEditPage({ dashboard, id: '1' });
  await expect(page.getByTestId(testIds.panel.band)).toBeVisible();
  await expect(page.getByTestId(testIds.panel.anomaly)).toHaveCount(2);
});

test('hides anomalies when the option is off', async ({ gotoPanelEditPage, readProvisionedDashboard, page }) => {
  const dashboard = await readProvisionedDashboard({ fileName: 'dashboard.json' });
  const panelEditPage = await gotoPanelEditPage({ dashboard, id: '1' });
  await panelEditPage.getCustomOptions('Cairn seasonal band').getSwitch('Show anomalies').uncheck();
  await expect(page.getByTestId(testIds.panel.anomaly)).toHaveCount(0);
});
