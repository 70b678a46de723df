import { QUERY_TYPES, type CairnQueryType } from '../types';

/** Untrusted input (saved dashboards, URLs) to a query type, or false. */
export function narrowQueryType(o: unknown): CairnQueryType | false {
  return typeof o === 'string' && (QUERY_TYPES as readonly string[]).includes(o) ? (o as CairnQueryType) : false;
}

export function isRecord(o: unknown): o is Record<string, unknown> {
  return typeof o === 'object' && o !== null && !Array.isArray(o);
}
