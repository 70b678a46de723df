// Stands in for @grafana/runtime in the browser harness only (the bundler aliases it here): the real package,
// with the services Grafana would install at start replaced by small fetch-based ones.
import { Observable } from 'rxjs';
import type {
  BackendSrv,
  BackendSrvRequest,
  DataSourceSrv,
  FetchError,
  FetchResponse,
  TemplateSrv,
} from '@grafana/runtime';

import { harnessDatasources } from './datasources';

export * from '@grafana/runtime';

function requestUrl(options: BackendSrvRequest): string {
  const url = new URL(options.url, window.location.origin);
  for (const [key, value] of Object.entries((options.params ?? {}) as Record<string, unknown>)) {
    if (value !== undefined && value !== null) {
      url.searchParams.set(key, String(value));
    }
  }
  return url.toString();
}

function parseBody(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Grafana's BackendSrv.fetch contract: one FetchResponse then complete, or a FetchError; unsubscribing aborts. */
function fetchObservable<T>(options: BackendSrvRequest): Observable<FetchResponse<T>> {
  return new Observable<FetchResponse<T>>((subscriber) => {
    const abort = new AbortController();
    fetch(requestUrl(options), {
      method: options.method ?? 'GET',
      headers: { accept: 'application/json', ...(options.headers as Record<string, string> | undefined) },
      body: options.data === undefined ? undefined : JSON.stringify(options.data),
      signal: abort.signal,
    })
      .then(async (res) => {
        const data = parseBody(await res.text());
        if (!res.ok) {
          const error: FetchError = { status: res.status, statusText: res.statusText, data, config: options };
          subscriber.error(error);
          return;
        }
        subscriber.next({
          data: data as T,
          status: res.status,
          statusText: res.statusText,
          ok: res.ok,
          headers: res.headers,
          redirected: res.redirected,
          type: res.type,
          url: res.url,
          config: options,
        });
        subscriber.complete();
      })
      .catch((err: unknown) => {
        if (!abort.signal.aborted) {
          subscriber.error({ status: 0, statusText: String(err), data: {}, config: options } satisfies FetchError);
        }
      });
    return () => abort.abort();
  });
}

function lastResponse<T>(options: BackendSrvRequest): Promise<FetchResponse<T>> {
  return new Promise((resolve, reject) => {
    fetchObservable<T>(options).subscribe({ next: resolve, error: reject });
  });
}

const backendSrv: Partial<BackendSrv> = {
  fetch: fetchObservable,
  datasourceRequest: lastResponse,
  request: async <T>(options: BackendSrvRequest) => (await lastResponse<T>(options)).data,
  get: async <T>(url: string, params?: unknown) =>
    (await lastResponse<T>({ url, params: params as BackendSrvRequest['params'] })).data,
};

export function getBackendSrv(): BackendSrv {
  return backendSrv as BackendSrv;
}

const dataSourceSrv: Partial<DataSourceSrv> = {
  getList: () => harnessDatasources as unknown as ReturnType<DataSourceSrv['getList']>,
};

export function getDataSourceSrv(): DataSourceSrv {
  return dataSourceSrv as DataSourceSrv;
}

const templateSrv: Partial<TemplateSrv> = {
  getVariables: () => [],
  replace: (target?: string) => target ?? '',
  containsTemplate: () => false,
  updateTimeRange: () => undefined,
};

export function getTemplateSrv(): TemplateSrv {
  return templateSrv as TemplateSrv;
}
