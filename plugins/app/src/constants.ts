import pluginJson from './plugin.json';

export const PLUGIN_BASE_URL = `/a/${pluginJson.id}`;
/** The datasource plugin this app reads through (its data-proxy route carries the bridge token). */
export const DATASOURCE_TYPE = 'cairn-bridge-datasource';

export enum ROUTES {
  Services = 'services',
}

/** Prefixes a route with the base URL of the app. */
export function prefixRoute(route: string): string {
  return `${PLUGIN_BASE_URL}/${route}`;
}
