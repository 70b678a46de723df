import type { ServiceSummary, TopPattern } from '@cairn/contract';

/** App settings saved in the plugin's jsonData. */
export interface AppSettings {
  /** UID of the Cairn datasource to read through; empty means the first one found. */
  datasourceUid?: string;
}

export type { ServiceSummary, TopPattern };
