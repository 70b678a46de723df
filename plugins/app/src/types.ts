import type { ServiceSummary } from '@cairn/contract';

/** App settings saved in the plugin's jsonData. */
export interface AppSettings {
  /** UID of the Cairn datasource to read through; empty means the first one found. */
  datasourceUid?: string;
}

/** GET /api/v1/patterns/top (plugin-local until the contract defines it; same shape as the datasource's). */
export interface PatternSummary {
  templateId: string;
  pattern: string;
  service: string;
  count: number;
  isNew?: boolean;
}

export type { ServiceSummary };
